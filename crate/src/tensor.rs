//! A model file's tensor as the engines read it: its shape, its values in f32 (compute is
//! always f32) and the dtype the file stored it in.

use half::{bf16, f16};
use safetensors::Dtype;

use crate::error::{Result, TrmError};

/// How a tensor was stored in the file; compute is always f32, but the GPU engine
/// uploads F16 tensors as f16 where the device can read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredAs {
    F32,
    F16,
    BF16,
}

#[derive(Clone)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
    pub stored: StoredAs,
}

impl std::fmt::Debug for Tensor {
    // Weights run to millions of values; a shape is what a reader needs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tensor({:?}, {:?})", self.shape, self.stored)
    }
}

impl Tensor {
    pub fn len(&self) -> usize {
        self.data.len()
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// A safetensors tensor's bytes as f32 values, with the dtype they were stored as; any
/// dtype but F32, F16 and BF16, and any value that is not finite, is an error naming it.
pub(crate) fn decode(name: &str, dtype: Dtype, bytes: &[u8]) -> Result<(Vec<f32>, StoredAs)> {
    // Byte-wise decoding: safetensors data is little-endian and need not be aligned.
    let (data, stored) = match dtype {
        Dtype::F32 => (
            bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
            StoredAs::F32,
        ),
        Dtype::F16 => (
            bytes.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
            StoredAs::F16,
        ),
        Dtype::BF16 => (
            bytes.chunks_exact(2).map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
            StoredAs::BF16,
        ),
        other => {
            return Err(TrmError::WrongDtype { name: name.into(), dtype: format!("{other:?}") })
        }
    };
    let data: Vec<f32> = data;
    if let Some(index) = data.iter().position(|x| !x.is_finite()) {
        return Err(TrmError::NonFinite { name: name.into(), index });
    }
    Ok((data, stored))
}

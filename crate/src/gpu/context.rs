//! Adapter and device. We ask for WebGPU's default limits except where the adapter offers
//! more room for big buffers (so larger batches fit in one chunk), and for the optional
//! features (shader-f16) only where the adapter has them; the f32 path always works.

use std::sync::{Arc, Mutex};

use crate::error::{Result, TrmError};

pub struct GpuContext {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter_name: String,
    pub backend: String,
    pub limits: wgpu::Limits,
    pub shader_f16: bool,
    /// The device can stamp GPU time (timestamp-query), for per-op profiles (profile.rs).
    pub timestamps: bool,
    /// The adapter is a software renderer (SwiftShader, lavapipe), on which our CPU engine
    /// is faster (BENCHMARKS.md).
    pub software: bool,
    /// The first uncaptured GPU error or device loss, kept for the next step to report
    /// (wgpu's default handler would panic, taking a page's worker down with it).
    pub failure: Arc<Mutex<Option<String>>>,
    /// Tests shrink this to exercise batch chunking without a huge batch.
    pub binding_cap: Option<u64>,
}

/// Whether this JS global offers WebGPU. wgpu panics unless the global is a window or a
/// worker (it reads `globalThis.Window` / `WorkerGlobalScope`): in Node.js it would, and a panic
/// leaves the wasm instance unusable. So the caller learns here, as an error, that there is none.
#[cfg(target_arch = "wasm32")]
fn browser_gpu() -> Result<()> {
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::get(&global, &name.into()).is_ok_and(|v| !v.is_undefined());
    let gpu = js_sys::Reflect::get(&global, &"navigator".into())
        .ok()
        .filter(|n| n.is_object())
        .and_then(|n| js_sys::Reflect::get(&n, &"gpu".into()).ok())
        .is_some_and(|g| g.is_object());
    if !(has("Window") || has("WorkerGlobalScope")) || !gpu {
        return Err(TrmError::Gpu("WebGPU is not available here (navigator.gpu is missing)".into()));
    }
    Ok(())
}

impl GpuContext {
    /// Finds an adapter and opens a device; the error says why when there is none (no
    /// WebGPU in this browser, no Vulkan/Metal/DX12 driver natively).
    pub async fn new() -> Result<GpuContext> {
        #[cfg(target_arch = "wasm32")]
        browser_gpu()?;
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                ..Default::default()
            })
            .await
            .map_err(|e| {
                if cfg!(target_arch = "wasm32") {
                    // wgpu's message lists every native backend it was built without; in a
                    // browser the only question is whether WebGPU is there.
                    TrmError::Gpu("this browser offers no WebGPU adapter (WebGPU missing or disabled)".into())
                } else {
                    TrmError::Gpu(format!("no GPU adapter available ({e}); install a Vulkan, Metal or DX12 driver"))
                }
            })?;
        let info = adapter.get_info();
        let software = info.device_type == wgpu::DeviceType::Cpu;
        let offered = adapter.limits();
        let defaults = wgpu::Limits::default();
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: offered.max_storage_buffer_binding_size,
            max_buffer_size: offered.max_buffer_size,
            ..defaults
        };
        // Optional features, asked for only where offered: the f32 path and unprofiled steps need neither.
        let shader_f16 = adapter.features().contains(wgpu::Features::SHADER_F16);
        let timestamps = adapter.features().contains(wgpu::Features::TIMESTAMP_QUERY);
        let required_features = adapter.features() & (wgpu::Features::SHADER_F16 | wgpu::Features::TIMESTAMP_QUERY);
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("trm"),
                required_features,
                required_limits: limits.clone(),
                ..Default::default()
            })
            .await
            .map_err(|e| TrmError::Gpu(format!("could not open the GPU device ({e})")))?;
        let failure: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let slot = failure.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut f) = slot.lock() {
                f.get_or_insert_with(|| format!("GPU error: {e}"));
            }
        }));
        let slot = failure.clone();
        device.set_device_lost_callback(move |reason, msg| {
            if let Ok(mut f) = slot.lock() {
                f.get_or_insert_with(|| format!("the GPU device was lost ({reason:?}: {msg})"));
            }
        });
        Ok(GpuContext {
            device,
            queue,
            // Browsers hide the adapter's name; say what we do know.
            adapter_name: match (info.name.is_empty(), info.device_type) {
                (false, _) => info.name,
                (true, wgpu::DeviceType::Cpu) => "software adapter".into(),
                (true, _) => "GPU".into(),
            },
            backend: match info.backend {
                wgpu::Backend::BrowserWebGpu => "WebGPU".into(),
                other => format!("{other:?}"),
            },
            limits,
            shader_f16,
            timestamps,
            software,
            failure,
            binding_cap: None,
        })
    }

    /// The recorded failure, if any: once the device has failed every later step fails too.
    pub fn check(&self) -> Result<()> {
        match self.failure.lock().ok().and_then(|f| f.clone()) {
            Some(msg) => Err(TrmError::Gpu(msg)),
            None => Ok(()),
        }
    }

    /// Another handle to the same device, for tests that change `binding_cap`.
    pub fn clone_for_test(&self) -> GpuContext {
        GpuContext {
            device: self.device.clone(),
            queue: self.queue.clone(),
            adapter_name: self.adapter_name.clone(),
            backend: self.backend.clone(),
            limits: self.limits.clone(),
            shader_f16: self.shader_f16,
            timestamps: self.timestamps,
            software: self.software,
            failure: self.failure.clone(),
            binding_cap: self.binding_cap,
        }
    }

    /// Largest storage binding we may use: the device's binding limit, capped by the
    /// largest buffer it allows.
    pub fn max_binding(&self) -> u64 {
        let device = self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size);
        self.binding_cap.map_or(device, |cap| cap.min(device))
    }
}

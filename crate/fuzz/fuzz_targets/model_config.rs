#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| trm_fuzz::model_config(data));

#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| trm_fuzz::sudoku_parse(data));

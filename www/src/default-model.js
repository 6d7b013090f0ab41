// The SHA-256 of the bundled models/sudoku.safetensors. loadSolver() checks the default
// model against it, so a corrupted or swapped file is a ModelError, not a silent wrong
// answer. www/tests/api-errors.test.mjs fails when the model changes without this hash.
export const DEFAULT_MODEL_SHA256 = 'a7c68eed8f088ca05e9dba74b319d854bd0a5b952fe455a4d0a688367ff5184b';

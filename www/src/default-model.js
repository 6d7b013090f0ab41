// The SHA-256 of the bundled models/sudoku.safetensors. loadSolver() checks the default
// model against it, so a corrupted or swapped file is a ModelError, not a silent wrong
// answer. www/tests/api-errors.test.mjs fails when the model changes without this hash.
export const DEFAULT_MODEL_SHA256 = 'a7c68eed8f088ca05e9dba74b319d854bd0a5b952fe455a4d0a688367ff5184b';

// Every bundled model by kind (models/<kind>.safetensors), checked the same way when loaded as
// loadSolver({ model: kind }). The test also fails when a model file has no entry here.
export const SHIPPED_SHA256 = {
  sudoku: DEFAULT_MODEL_SHA256,
  maze: '084fe5932fe6ce987155ac589f8b2a9823ff3e199d0b54ed0a33682f5754fb49',
  arc: 'eba61e27c89f37b432ad7a0cc577fd91aac08618b37f8a5475747a80b6a262ad',
};

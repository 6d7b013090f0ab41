// The SHA-256 of the bundled models/sudoku.safetensors. loadSolver() checks the default
// model against it, so a corrupted or swapped file is a ModelError, not a silent wrong
// answer. www/tests/api-errors.test.mjs fails when the model changes without this hash.
export const DEFAULT_MODEL_SHA256 = '19e6b8a2f1d9e6e5ab6cdb214dae855098e94afaceed3d020abb9799f2e7d4be';

// Every bundled model by kind (models/<kind>.safetensors), checked the same way when loaded as
// loadSolver({ model: kind }). The test also fails when a model file has no entry here.
export const SHIPPED_SHA256 = {
  sudoku: DEFAULT_MODEL_SHA256,
  maze: 'ee12e90f84678a2510a075b73f5794730a42f3654584ddc62ad1dad5fadb2132',
  arc: '81ce1d10697ddd5454a0b15a7b8978c9e9de38dd4e3a0172c3538426b40fb58c',
};

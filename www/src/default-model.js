// The SHA-256 of the bundled models/sudoku.safetensors. loadSolver() checks the default
// model against it, so a corrupted or swapped file is a ModelError, not a silent wrong
// answer. www/tests/api-errors.test.mjs fails when the model changes without this hash.
export const DEFAULT_MODEL_SHA256 = 'd6c475d6c713ca2a42439f88e93beba03599896dd8341bb96a4889bb70d5ef72';

// Every bundled model by name (models/<name>.safetensors; a kind may have several, as mazes have
// 'maze' for 30x30, 'maze11' and 'maze15' for 11x11 and 15x15), checked the same way when loaded as
// loadSolver({ model: name }). The test also fails when a model file has no entry here.
// scripts/ship-model.sh writes these lines.
export const SHIPPED_SHA256 = {
  sudoku: DEFAULT_MODEL_SHA256,
  arc10: 'f365df7bcf0e7d5356d9da1f4e222d52eec3c343d576d64ab31892d179dfa9d5',
  maze15: '9bc8f99c4637a1a9a43f9d88802eba3ef91afbef28658720045db197c66f837d',
  maze11: '3a51ff816bd0bc0bf8ec18155d917750ddf99cd3480619c9103a90f8aafe88b6',
  maze: 'bdd6db5f1ef899b4dbaddcd869d594ea90dfc7e20bbae244f9394b15c7be3f61',
  arc: 'fb9b7660159fdb8d8efde310598e293437f0058a0030b149ce36bfd715c7df1b',
};

// The trm-web demo page: the shell (shell.js) with its three views, Sudoku (views/sudoku.js),
// ARC (views/arc.js) and Maze (views/maze.js). A model file dropped in the wrong view goes to its own.
import { initTabs } from './shell.js';
import { initSudoku } from './views/sudoku.js';
import { initArc } from './views/arc.js';
import { initMaze } from './views/maze.js';

let tabs;
const views = [];
// A visitor's model file of another kind: open its view and load it there.
const onWrongKind = (kind, source, name, bytes) => {
  tabs.show(kind);
  views.find((v) => v.kind === kind)?.adopt(source, name, bytes);
};
views.push(initSudoku({ onWrongKind }), initArc({ onWrongKind }), initMaze({ onWrongKind }));
tabs = initTabs(views);

import { createWorkerSolver } from 'trm-web/worker-client';
import maze11 from 'trm-web/model-url/maze11';
import { showSteps } from '../common/show-steps.js';

showSteps(createWorkerSolver, maze11);

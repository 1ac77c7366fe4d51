export { main } from './main.js';
export { systemIO } from './io.js';

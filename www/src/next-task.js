// A step of the model is synchronous work on the CPU engine: without a turn of the event loop
// between steps, a page could not draw, a timer could not fire, and a worker could not read the
// `cancel` message posted to it until a whole solve had run.

let channel = null;
const waiting = [];

/**
 * Resolves in a new task of the event loop, after the tasks already queued (messages, timers,
 * input). Node.js: setImmediate. Browsers: a MessageChannel message, which is not clamped to
 * 4 ms as nested setTimeout calls are (and, unlike scheduler.yield, is not run ahead of the
 * messages already waiting).
 */
export function nextTask() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

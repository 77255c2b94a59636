// Reads an nsplay trace with Chrome DevTools' own trace engine (the npm
// package @paulirish/trace_engine, the model behind the Performance panel)
// and checks what a user sees there: the process and thread names, one
// selectable "frame" event per played frame on the main thread holding its
// phases and steps, and the floor frame on its own "reference" track.
//
// usage: node trace_consumer.mjs ENGINE_DIR TRACE FRAMES STEP...
// ENGINE_DIR: the package's folder (tools/npm/node_modules/@paulirish/trace_engine);
// FRAMES: the frames the run played (warm-up included); STEP: zone names each
// frame must contain. Prints one line a check; exits 0 when all pass, 1 if not.
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [engineDir, tracePath, framesArg, ...steps] = process.argv.slice(2);
if (!engineDir || !tracePath || !framesArg) {
  console.error('usage: node trace_consumer.mjs ENGINE_DIR TRACE FRAMES STEP...');
  process.exit(2);
}
const {analyzeTrace} = await import(pathToFileURL(path.join(engineDir, 'analyze-trace.mjs')).href);
const {parsedTrace} = await analyzeTrace(tracePath);
const {Meta, Renderer} = parsedTrace.data;

let fails = 0;
function check(what, ok, got) {
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}${ok ? '' : ` (got ${got})`}`);
  if (!ok) fails++;
}

const [pid, procMeta] = [...Meta.processNames][0] ?? [undefined, undefined];
check('the engine names the process "nsplay"', procMeta?.args?.name === 'nsplay', JSON.stringify(procMeta?.args));
const proc = Renderer.processes.get(pid);
const threads = new Map([...(proc?.threads ?? [])].map(([tid, t]) => [t.name, t]));
check('the engine names the threads "main" and "reference"', threads.has('main') && threads.has('reference'),
      JSON.stringify([...threads.keys()]));

const main = threads.get('main')?.entries ?? [];
const frames = main.filter(e => e.name === 'frame' && e.ph === 'X');
check(`${framesArg} complete "frame" events on the main thread`, frames.length === Number(framesArg), frames.length);
check('frames are in category "frame"', frames.every(e => e.cat === 'frame'),
      JSON.stringify([...new Set(frames.map(e => e.cat))]));

// Every zone a frame holds, at any depth, in the engine's own call tree.
function descendants(entry) {
  const names = new Set();
  const stack = [...(Renderer.entryToNode.get(entry)?.children ?? [])];
  while (stack.length) {
    const node = stack.pop();
    names.add(node.entry.name);
    stack.push(...node.children);
  }
  return names;
}
const wanted = ['upload', 'draw', 'finish', 'callbacks_total', ...steps];
const incomplete = frames.map(f => [f, wanted.filter(n => !descendants(f).has(n))]).filter(([, m]) => m.length);
check(`each frame contains ${wanted.join(', ')}`, frames.length > 0 && incomplete.length === 0,
      incomplete.length ? `frame at ts ${incomplete[0][0].ts} lacks ${incomplete[0][1].join(', ')}` : 'no frames');

const floorMain = main.filter(e => e.name === 'floor_frame').length;
check('no floor frame on the main thread', floorMain === 0, floorMain);
const ref = (threads.get('reference')?.entries ?? []).filter(e => e.name === 'floor_frame');
check(`${framesArg} floor frames on the reference track`, ref.length === Number(framesArg), ref.length);
check('floor frames are in category "reference"', ref.every(e => e.cat === 'reference'),
      JSON.stringify([...new Set(ref.map(e => e.cat))]));

console.log(`trace engine: ${fails === 0 ? 'all checks passed' : `${fails} failed`}`);
process.exit(fails === 0 ? 0 : 1);

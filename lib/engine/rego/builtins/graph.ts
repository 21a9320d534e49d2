// graph.reachable and graph.reachable_paths over adjacency objects (node → set/array of nodes).
import { BuiltinError } from "../errors.ts";
import { RegoObject, RegoSet, type Value, typeName } from "../values/value.ts";
import { register } from "./registry.ts";

function neighbours(fn: string, graph: RegoObject, node: Value): Value[] | undefined {
  const e = graph.get(node);
  if (e === undefined) return undefined;
  if (Array.isArray(e)) return e;
  if (e instanceof RegoSet) return e.sorted();
  if (e === null) return [];
  throw new BuiltinError(`${fn}: operand 1 must be object[any: any<array[any], set[any]>] but got ${typeName(e)}`, "eval_type_error");
}

function args(fn: string, g: Value, init: Value): [RegoObject, Value[]] {
  if (!(g instanceof RegoObject)) throw new BuiltinError(`${fn}: operand 1 must be object but got ${typeName(g)}`, "eval_type_error");
  const start = Array.isArray(init) ? init : init instanceof RegoSet ? init.sorted() : undefined;
  if (!start) throw new BuiltinError(`${fn}: operand 2 must be one of {array, set} but got ${typeName(init)}`, "eval_type_error");
  return [g, start];
}

register("graph.reachable", 2, ([g, init]) => {
  const [graph, start] = args("graph.reachable", g, init);
  const reached = new RegoSet();
  const queue = [...start];
  while (queue.length) {
    const node = queue.shift()!;
    if (reached.has(node)) continue;
    const next = neighbours("graph.reachable", graph, node);
    if (next === undefined) continue;
    reached.add(node);
    for (const n of next) if (!reached.has(n)) queue.push(n);
  }
  return reached;
});

register("graph.reachable_paths", 2, ([g, init]) => {
  const [graph, start] = args("graph.reachable_paths", g, init);
  const paths = new RegoSet();
  const visit = (node: Value, path: Value[]) => {
    const next = neighbours("graph.reachable_paths", graph, node);
    const here = [...path, node];
    if (next === undefined || next.length === 0) return void paths.add(here);
    for (const n of next) {
      if (here.some((p) => p === n)) paths.add(here);
      else if (graph.get(n) === undefined) paths.add(here);
      else visit(n, here);
    }
  };
  for (const s of start) if (graph.get(s) !== undefined) visit(s, []);
  return paths;
});

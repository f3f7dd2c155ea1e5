import fs from 'node:fs';
import { parse } from 'acorn';
import ejs from 'ejs';
import { analyze } from 'eslint-scope';

type Callback = (err: Error | null, html?: string) => void;

/** EJS's own names in a compiled template: its output buffer, its line counter. */
const EJS_OWN = /^__/;

/**
 * The globals a template may read as themselves: JavaScript's own and the URL classes. A fixed list rather than
 * what globalThis holds at the time, so that a data name such as `crypto` or `navigator` is data in every process.
 */
const GLOBALS = new Set(['undefined', 'NaN', 'Infinity', 'globalThis', 'Object', 'Array', 'String', 'Number', 'Boolean',
  'BigInt', 'Symbol', 'Math', 'JSON', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError', 'Intl', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'Promise', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent',
  'decodeURIComponent', 'encodeURI', 'decodeURI', 'URL', 'URLSearchParams']);

/**
 * The names a template reads from its data: those its code uses without declaring them, less the globals above,
 * found once by reading the compiled code's scopes.
 */
export function namesReadFromData(text: string, filename: string): string[] {
  const template = new ejs.Template(text, { filename, _with: false, compileDebug: false });
  template.compile();
  const program = parse(`(function (locals, escapeFn, include, rethrow) {\n${template.source}\n})`, { ecmaVersion: 'latest', ranges: true });
  const free = analyze(program as Parameters<typeof analyze>[0], { ecmaVersion: 2022 }).globalScope!.through.map((reference) => reference.identifier.name);
  return [...new Set(free)].filter((name) => !EJS_OWN.test(name) && !GLOBALS.has(name));
}

/**
 * A template compiled with its data names declared as plain variables (EJS's `destructuredLocals`) instead of
 * EJS's default `with (locals)`: inside `with`, every name the template reads, its own output function's
 * included, is looked up on the data object at run time, which made the post page's comment thread render
 * about three times slower.
 */
function compileTemplate(filename: string, root: string, production: boolean): ejs.TemplateFunction {
  // As EJS's own loader does, a byte-order mark is not part of the page.
  const text = fs.readFileSync(filename, 'utf8').replace(/^\uFEFF/, '');
  const destructuredLocals = namesReadFromData(text, filename);
  // cache: includes inside the template are asked of ejs.cache too, and so compiled here.
  return ejs.compile(text, { filename, root, cache: true, _with: false, destructuredLocals, compileDebug: !production }) as ejs.TemplateFunction;
}

/** Every template, a page's and each include's, compiled once; outside production again once its file changes. */
function templateCache(root: string, production: boolean): ejs.Cache {
  const kept = new Map<string, { render: ejs.TemplateFunction; mtimeMs: number }>();
  return {
    get(filename) {
      const mtimeMs = production ? 0 : fs.statSync(filename).mtimeMs;
      let entry = kept.get(filename);
      if (entry?.mtimeMs !== mtimeMs) kept.set(filename, (entry = { render: compileTemplate(filename, root, production), mtimeMs }));
      return entry.render;
    },
    // get() compiles what it lacks, so EJS never compiles a template itself to hand over here.
    set() {},
    reset() {
      kept.clear();
    },
  };
}

/**
 * EJS for Express, with every include named from the views folder (`include('/partials/head')`): EJS resolves
 * such a name by joining paths, where a relative one costs a file-system check per include.
 */
export function viewEngine(viewsDir: string, production: boolean) {
  ejs.cache = templateCache(viewsDir, production);
  return (file: string, data: object, callback: Callback) =>
    void ejs.renderFile(file, data as ejs.Data, { root: viewsDir, cache: true }, callback);
}

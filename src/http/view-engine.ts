import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'acorn';
import { full } from 'acorn-walk';
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

/** A compiled template's code, parsed, with the names it uses without declaring them (less the globals above). */
function parseTemplate(text: string, filename: string) {
  const template = new ejs.Template(text, { filename, _with: false, compileDebug: false });
  template.compile();
  const program = parse(`(function (locals, escapeFn, include, rethrow) {\n${template.source}\n})`, { ecmaVersion: 'latest', ranges: true });
  const free = analyze(program as Parameters<typeof analyze>[0], { ecmaVersion: 2022 }).globalScope!.through.map((reference) => reference.identifier.name);
  return { program, free: [...new Set(free)].filter((name) => !EJS_OWN.test(name) && !GLOBALS.has(name)) };
}

/** The names a template reads as `locals.name` (a value a page may leave out): data it is given too. */
function namesReadFromLocals(program: ReturnType<typeof parseTemplate>['program']): string[] {
  const names = new Set<string>();
  full(program, (node) => {
    if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.object.name === 'locals' && node.property.type === 'Identifier') {
      names.add(node.property.name);
    }
  });
  return [...names];
}

/** What a compiled template is called with: its data, EJS's escaping, and the function its includes call. */
type TemplateFunction = (data: Record<string, unknown>, escapeFn: (text: unknown) => string, include: Include, rethrowFn: typeof rethrow) => string;
type Include = (name: string, data?: Record<string, unknown>) => string;
/** A name's value for a template: the include's own data first, then what its includer had. */
type Lookup = (name: string) => unknown;

interface Template {
  render: TemplateFunction;
  /** The names it reads from its data: as variables (those its code uses without declaring them) and as `locals.name`. */
  names: string[];
  mtimeMs: number;
}

/** Names the template and line an error came from (development only: production compiles no line counter). */
function rethrow(err: Error, _lines: string, filename: string, line: number): never {
  err.message = `${filename}:${line}: ${err.message}`;
  throw err;
}

/**
 * A template compiled with its data names declared as plain variables (EJS's `destructuredLocals`) instead of
 * EJS's default `with (locals)`: inside `with`, every name the template reads, its own output function's
 * included, is looked up on the data object at run time, which made the post page's comment thread render
 * about three times slower. The function is built here from EJS's generated source, as EJS builds it, so
 * that its includes are ours (see renderTemplate).
 */
function compileTemplate(filename: string, production: boolean): Omit<Template, 'mtimeMs'> {
  // As EJS's own loader does, a byte-order mark is not part of the page.
  const text = fs.readFileSync(filename, 'utf8').replace(/^\uFEFF/, '');
  const { program, free } = parseTemplate(text, filename);
  const template = new ejs.Template(text, { filename, _with: false, destructuredLocals: free, compileDebug: !production });
  template.compile();
  const source = production
    ? template.source
    : `let __line = 1, __lines = '', __filename = ${JSON.stringify(filename)};\ntry {\n${template.source}} catch (e) {\n  rethrow(e, __lines, __filename, __line, escapeFn);\n}\n`;
  const names = [...new Set([...free, ...namesReadFromLocals(program)])];
  return { render: new Function('locals, escapeFn, include, rethrow', source) as TemplateFunction, names };
}

/** Every template, a page's and each include's, compiled once; outside production again once its file changes. */
function templateCache(production: boolean) {
  const kept = new Map<string, Template>();
  return (filename: string): Template => {
    const mtimeMs = production ? 0 : fs.statSync(filename).mtimeMs;
    let entry = kept.get(filename);
    if (entry?.mtimeMs !== mtimeMs) kept.set(filename, (entry = { ...compileTemplate(filename, production), mtimeMs }));
    return entry;
  };
}

/**
 * EJS for Express, with every include named from the views folder (`include('/partials/head')`).
 *
 * A template is given only the names it reads, each looked up once: an include's own data, then its includer's,
 * up to the page's. EJS's own include copies every name of the page's data, twice, for each include (the post
 * list's two includes a post made that copying a tenth of a home page's render).
 */
export function viewEngine(viewsDir: string, production: boolean) {
  const template = templateCache(production);
  const paths = new Map<string, string>();
  const includePath = (name: string) => {
    let found = paths.get(name);
    if (found === undefined) {
      if (!name.startsWith('/')) throw new Error(`include('${name}'): name it from the views folder, as '/partials/…'`);
      paths.set(name, (found = path.join(viewsDir, path.extname(name) ? name : `${name}.ejs`)));
    }
    return found;
  };

  function renderTemplate(filename: string, lookup: Lookup): string {
    const { render, names } = template(filename);
    // Own properties only, from plain objects: a name no one gave stays undefined, whatever Object.prototype holds.
    const data: Record<string, unknown> = {};
    for (const name of names) data[name] = lookup(name);
    return render(data, ejs.escapeXML, (name, own) =>
      renderTemplate(includePath(name), own ? (key) => (Object.hasOwn(own, key) ? own[key] : lookup(key)) : lookup), rethrow);
  }

  return (file: string, data: object, callback: Callback) => {
    let html: string;
    try {
      const page = data as Record<string, unknown>;
      html = renderTemplate(file, (name) => (Object.hasOwn(page, name) ? page[name] : undefined));
    } catch (err) {
      return callback(err as Error);
    }
    callback(null, html);
  };
}

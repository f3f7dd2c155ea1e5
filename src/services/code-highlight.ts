import { createRequire } from 'node:module';
import { escapeUTF8 as escapeHtml } from 'entities';
import type { HLJSApi } from 'highlight.js';

// Loaded when a post's first fenced code block is rendered: its common languages cost some 30 ms of every start-up.
let loaded: HLJSApi | undefined;
const highlighter = () => (loaded ??= createRequire(import.meta.url)('highlight.js/lib/common') as HLJSApi);

// A language name as an info string gives it (```js, ```c++, ```objective-c); anything else is not a language.
const LANGUAGE = /^[\w+#.-]{1,40}$/;

/**
 * A fenced code block as HTML, highlighted on the server when its info string names a language highlight.js knows
 * (its common set). Without a language it stays plain: guessing (highlightAuto) colours prose and shell sessions wrongly.
 * The markup is sanitized with the rest of the post (the allow-list keeps exactly highlight.js's span classes in code).
 */
export function codeBlockHtml(code: string, info = ''): string {
  const name = info.trim().split(/\s/, 1)[0] ?? '';
  const text = `${code.replace(/\n$/, '')}\n`;
  if (!LANGUAGE.test(name)) return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
  const hljs = highlighter();
  const language = hljs.getLanguage(name) ? name.toLowerCase() : undefined;
  const body = language ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
  const classes = `${language ? 'hljs ' : ''}language-${name.replace(/[^\w-]/g, '-').toLowerCase()}`;
  return `<pre><code class="${classes}">${body}</code></pre>\n`;
}

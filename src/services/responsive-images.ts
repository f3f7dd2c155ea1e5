import { defaultTreeAdapter, html, parseFragment, serialize, type DefaultTreeAdapterTypes } from 'parse5';

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/** An upload as the renderer sees it: its address, size and copies (addresses too). */
export interface ResponsiveImage {
  url: string;
  mime: string;
  width: number;
  height: number;
  variants: { url: string; mime: string; width: number }[];
}

/** The upload an `<img src>` names, when it is one with a known size; anything else (external, imported) is undefined. */
export type ImageLookup = (src: string) => ResponsiveImage | undefined;

/**
 * The widest a post's image is shown: public/css/site.css's `.wrap` (44rem) less its padding (2 × 1.25rem), at 16 px;
 * below that a phone's screen less the same padding.
 */
const COLUMN = 664;
const PADDING = 40;
const WEBP = 'image/webp';

const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
function setAttr(element: Element, name: string, value: string) {
  const found = element.attrs.find((a) => a.name === name);
  if (found) found.value = value;
  else element.attrs.push({ name, value });
}
const isElement = (node: DefaultTreeAdapterTypes.ChildNode): node is Element => 'tagName' in node;
const positive = (value: string | undefined) => (value && /^\d{1,5}$/.test(value) && Number(value) > 0 ? Number(value) : undefined);

/** Every `<img>` in document order. */
function images(root: ParentNode): Element[] {
  const found: Element[] = [];
  const stack: ParentNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (isElement(node as DefaultTreeAdapterTypes.ChildNode) && (node as Element).tagName === 'img') found.push(node as Element);
    const children = node.childNodes.filter(isElement);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

const srcset = (candidates: { url: string; width: number }[]) => candidates.map((c) => `${c.url} ${c.width}w`).join(', ');

/** Gives an upload's `<img>` its size, its candidates and `sizes`; in a `<picture>` with a WebP source when it has WebP copies. */
function makeResponsive(img: Element, upload: ResponsiveImage) {
  const own = { width: positive(attr(img, 'width')), height: positive(attr(img, 'height')) };
  // The author's own size (an HTML post's width="300") is kept; otherwise the upload's, so the page keeps its place.
  if (!own.width || !own.height) {
    setAttr(img, 'width', String(upload.width));
    setAttr(img, 'height', String(upload.height));
  }
  if (upload.variants.length === 0) return;
  const shown = Math.min(own.width && own.height ? own.width : upload.width, COLUMN);
  const sizes = `(max-width: ${shown + PADDING}px) calc(100vw - ${PADDING}px), ${shown}px`;
  const inFormat = upload.variants.filter((v) => v.mime === upload.mime);
  setAttr(img, 'srcset', srcset([...inFormat, { url: upload.url, width: upload.width }]));
  setAttr(img, 'sizes', sizes);
  const webp = upload.variants.filter((v) => v.mime === WEBP);
  const parent = img.parentNode;
  if (upload.mime === WEBP || webp.length === 0 || !parent || (parent as Element).tagName === 'picture') return;
  // WebP for the browsers that take it; the <img> in the upload's own format for the rest (feed readers, mail).
  const picture = defaultTreeAdapter.createElement('picture', html.NS.HTML, []);
  const source = defaultTreeAdapter.createElement('source', html.NS.HTML, [
    { name: 'type', value: WEBP },
    { name: 'srcset', value: srcset(webp) },
    { name: 'sizes', value: sizes },
  ]);
  defaultTreeAdapter.insertBefore(parent, picture, img);
  defaultTreeAdapter.detachNode(img);
  defaultTreeAdapter.appendChild(picture, source);
  defaultTreeAdapter.appendChild(picture, img);
}

/**
 * A post's sanitized HTML with its images made responsive: an upload's `<img>` (found by `lookup`) gets width,
 * height, srcset and sizes; every image loads lazily but the first, which is likely in view; all decode off the
 * main thread. The caller sanitizes the result again (the post allow-list admits exactly these attributes).
 */
export function responsiveImages(markup: string, lookup?: ImageLookup): string {
  const fragment = parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), markup, {});
  const all = images(fragment);
  if (all.length === 0) return markup;
  all.forEach((img, index) => {
    setAttr(img, 'loading', index === 0 ? 'eager' : 'lazy');
    setAttr(img, 'decoding', 'async');
    const src = attr(img, 'src');
    const upload = src ? lookup?.(src) : undefined;
    if (upload) makeResponsive(img, upload);
  });
  return serialize(fragment);
}

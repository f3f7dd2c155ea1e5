import ejs from 'ejs';

type Callback = (err: Error | null, html?: string) => void;

/**
 * EJS for Express, with every include named from the views folder (`include('/partials/head')`): EJS resolves
 * such a name by joining paths, where a relative one costs a file-system check per include. With `cache`
 * (production) each template is compiled once and kept.
 */
export function viewEngine(viewsDir: string, cache: boolean) {
  return (file: string, data: object, callback: Callback) =>
    void ejs.renderFile(file, data as ejs.Data, { root: viewsDir, cache }, callback);
}

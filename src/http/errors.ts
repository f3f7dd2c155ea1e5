/** An error with the HTTP status a route wants the visitor to get. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message = 'Not found') => new HttpError(404, message);
export const badRequest = (message = 'Bad request') => new HttpError(400, message);
export const forbidden = (message = 'Forbidden') => new HttpError(403, message);
export const conflict = (message = 'Conflict') => new HttpError(409, message);
export const tooManyRequests = (message = 'Too many requests') => new HttpError(429, message);

/** The HTTP layer of the API backends: pooled node:http transport, a fetch-based one for tests, a buffered fetch over either for SDKs, URL helpers. */
export { createFetchTransport } from './fetch-transport.js';
export { bufferedFetch, errorBodyOf } from './buffered-fetch.js';
export { createNodeTransport } from './node-transport.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, joinUrl, RequestTimeoutError, type HttpRequest, type HttpResponse, type HttpTransport, type HttpTransportOptions } from './transport.js';

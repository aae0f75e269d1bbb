/** The HTTP layer of the API backends: pooled node:http transport, a fetch-based one for tests, URL helpers. */
export { createFetchTransport } from './fetch-transport.js';
export { createNodeTransport, fetchOver } from './node-transport.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, joinUrl, RequestTimeoutError, type HttpRequest, type HttpResponse, type HttpTransport, type HttpTransportOptions } from './transport.js';

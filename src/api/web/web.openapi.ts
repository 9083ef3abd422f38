import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { ClientConfig } from '../schemas';

export const webOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/client-config',
    operationId: 'getClientConfig',
    tag: 'web',
    summary: 'Where the web client finds the socket process',
    answer: { status: 200, schema: { ClientConfig }, description: 'The socket address for browsers.' },
    errors: {},
  },
  {
    method: 'get',
    path: '/rooms/{code}/qr.svg',
    operationId: 'getRoomQrCode',
    tag: 'web',
    summary: "A QR code of the room's join link",
    answer: { status: 200, mediaType: 'image/svg+xml', description: 'The QR code as SVG.' },
    errors: { 400: COMMON_ERRORS.badCode, 404: COMMON_ERRORS.noRoom, 410: COMMON_ERRORS.deleted, 429: COMMON_ERRORS.codeMisses },
  },
];

import { listenService } from '../helpers/listen-service.js';
import { telemetryCases, withServerSpan } from '../helpers/telemetry-cases.js';

telemetryCases('Node path', (service) =>
  listenService(service, (request, response) =>
    withServerSpan(request, response, () => service.node(request, response)),
  ),
);

/**
 * The node's metrics, published by MicroProfile Metrics at {@code /metrics} in Prometheus text:
 * {@link NodeMetrics} owns the registry and names every {@code lms_*} metric in one place; the
 * decorators here time the ports the application calls ({@link MeteredCommandGateway}, {@link
 * MeteredLanguageModel}) without the application knowing. The domain and application layers never
 * see MicroProfile Metrics.
 */
package org.lms.infrastructure.metrics;

/** Every package format siemc publishes. Adding one is one folder in src/publish/ and one line here. */
import { detectionRulesPublisher } from './detection-rules/index.js';
import { kibanaPublisher } from './kibana/index.js';
import type { Publisher } from './publisher.js';
import { sigmaPublisher } from './sigma/index.js';
import { splunkPublisher } from './splunk/index.js';

export const publishers: readonly Publisher[] = [
  kibanaPublisher,
  detectionRulesPublisher,
  splunkPublisher,
  sigmaPublisher,
];

export function publisherNamed(name: string): Publisher | undefined {
  return publishers.find((p) => p.name === name);
}

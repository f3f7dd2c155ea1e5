import type { HealthRepository } from '../repositories/health.js';

export interface HealthService {
  /** True when the database answers a query; monitors and load balancers ask through /healthz. */
  databaseAnswers(): boolean;
}

export function createHealthService(repo: HealthRepository): HealthService {
  return {
    databaseAnswers() {
      try {
        repo.ping();
        return true;
      } catch {
        return false;
      }
    },
  };
}

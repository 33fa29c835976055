// Types for scripts/exporter-abuse.mjs, which test/cli/exporter-abuse.test.ts imports.
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

export interface Scrape {
  status: number;
  length: number;
  head: string;
  ms: number;
}
export interface IdleSocket extends Socket {
  closedByServer: Promise<void>;
}
export interface Round {
  results: Scrape[];
  malformed: string;
  oversized: string;
  unknownMethod: string;
  badPath: string;
  idle: IdleSocket[];
  peak: number;
}
export function rssMiB(pid: number, field?: string): number;
export function startExporterProcess(
  args?: string[],
): Promise<{ child: ChildProcess; url: string; pid: number; stderr: () => string }>;
export function get(url: string, timeoutMs?: number): Promise<Scrape>;
export function raw(port: number, bytes: string, timeoutMs?: number): Promise<string>;
export function halfOpen(port: number, n: number): Promise<IdleSocket[]>;
export function abuseRound(opts: {
  url: string;
  pid: number;
  scrapes?: number;
  halfOpenCount?: number;
}): Promise<Round>;
export function anonMiB(pid: number): number;

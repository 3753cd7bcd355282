import { describe, expect, it } from 'vitest';
import { redisAdvice, redisRefusal } from '../../src/services/infra-advice.js';

// What the integration tests cannot provoke on this machine: a Redis on another machine, or
// one that answers with an error of its own.
describe('start-up advice for Redis', () => {
  it('on this machine: the command, with the configured port', () => {
    expect(redisAdvice('redis://127.0.0.1:6380/2')).toBe('Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6380 --save "" --appendonly no (or set REDIS_URL)');
    expect(redisAdvice('redis://[::1]')).toContain('--bind ::1 --port 6379 ');
  });

  it('on another machine: what to check, not a command that would start one here', () => {
    expect(redisAdvice('rediss://cache.example:7000')).toBe('Check that Redis runs on cache.example and listens on port 7000, or set REDIS_URL');
  });

  it('Redis answering with an error: the password only when that is what it refused', () => {
    expect(redisRefusal('redis://127.0.0.1:6379', new Error('NOAUTH Authentication required.'))).toBe('Redis at 127.0.0.1:6379 refused us (NOAUTH): check the user and password in REDIS_URL.');
    expect(redisRefusal('redis://127.0.0.1:6379', new Error('LOADING Redis is loading the dataset in memory'))).toBe(
      "Redis at 127.0.0.1:6379 answered with an error (LOADING Redis is loading the dataset in memory). Check REDIS_URL and the Redis server's log.",
    );
  });
});

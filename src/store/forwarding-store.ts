import type { StoreLog } from './log.js';
import type { SecretStore } from './types.js';

/**
 * A store that hands every call to another one: the layers over a backend (links.ts, cache/value-cache.ts)
 * extend it and override only the calls they change. Each call's signature is the interface's, so a call
 * added to SecretStore is a compile error here until it is handed on.
 */
export abstract class ForwardingStore implements SecretStore {
  abstract readonly backend: string;
  abstract readonly log?: StoreLog | undefined;

  /** The store the calls go to (one made on first use is awaited). */
  protected abstract target(): SecretStore | Promise<SecretStore>;

  async create(...args: Parameters<SecretStore['create']>): ReturnType<SecretStore['create']> {
    return (await this.target()).create(...args);
  }
  async putValue(...args: Parameters<SecretStore['putValue']>): ReturnType<SecretStore['putValue']> {
    return (await this.target()).putValue(...args);
  }
  async updateDescription(...args: Parameters<SecretStore['updateDescription']>): ReturnType<SecretStore['updateDescription']> {
    return (await this.target()).updateDescription(...args);
  }
  async describe(...args: Parameters<SecretStore['describe']>): ReturnType<SecretStore['describe']> {
    return (await this.target()).describe(...args);
  }
  async getValue(...args: Parameters<SecretStore['getValue']>): ReturnType<SecretStore['getValue']> {
    return (await this.target()).getValue(...args);
  }
  async getValues(...args: Parameters<SecretStore['getValues']>): ReturnType<SecretStore['getValues']> {
    return (await this.target()).getValues(...args);
  }
  async list(...args: Parameters<SecretStore['list']>): ReturnType<SecretStore['list']> {
    return (await this.target()).list(...args);
  }
  async listNames(...args: Parameters<SecretStore['listNames']>): ReturnType<SecretStore['listNames']> {
    return (await this.target()).listNames(...args);
  }
  async listVersions(...args: Parameters<SecretStore['listVersions']>): ReturnType<SecretStore['listVersions']> {
    return (await this.target()).listVersions(...args);
  }
  async delete(...args: Parameters<SecretStore['delete']>): ReturnType<SecretStore['delete']> {
    return (await this.target()).delete(...args);
  }
  async restore(...args: Parameters<SecretStore['restore']>): ReturnType<SecretStore['restore']> {
    return (await this.target()).restore(...args);
  }
  async writeMany(...args: Parameters<SecretStore['writeMany']>): ReturnType<SecretStore['writeMany']> {
    return (await this.target()).writeMany(...args);
  }
  async updateStage(...args: Parameters<SecretStore['updateStage']>): ReturnType<SecretStore['updateStage']> {
    return (await this.target()).updateStage(...args);
  }
  async readArn(...args: Parameters<SecretStore['readArn']>): ReturnType<SecretStore['readArn']> {
    return (await this.target()).readArn(...args);
  }
  async describeArn(...args: Parameters<SecretStore['describeArn']>): ReturnType<SecretStore['describeArn']> {
    return (await this.target()).describeArn(...args);
  }
  async randomPassword(...args: Parameters<SecretStore['randomPassword']>): ReturnType<SecretStore['randomPassword']> {
    return (await this.target()).randomPassword(...args);
  }
  async renewTimeLimit(): Promise<void> {
    await (await this.target()).renewTimeLimit?.();
  }
}

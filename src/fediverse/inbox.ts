import { Undo } from './fedify.js';
import type { InboxContext, InboxListenerSetters } from './fedify.js';
import type { Activity, ApObject } from './fedify.js';
import type { FediverseDeps } from './deps.js';

/** A class of activity or object from Fedify's vocabulary (Follow, Create, Like…). */
// `any` arguments, as Fedify's own listener signature has them.
type VocabClass<T> = (new (...args: any[]) => T) & { typeId: URL };

export type InboxListener<T extends Activity> = (ctx: InboxContext<void>, activity: T, deps: FediverseDeps) => Promise<void>;
/** Told of an Undo whose object is of its class; `object` is null when the Undo named an object it could not fetch. */
export type UndoListener<T extends ApObject> = (ctx: InboxContext<void>, undo: Undo, object: T | null, deps: FediverseDeps) => Promise<void>;

/**
 * Whether the activity's id is on its actor's instance: an instance speaks only for its own accounts, so another
 * host's activity is dropped, whatever its kind. Checked before anything is read from it: Fedify fetches an embedded
 * object again when it is from another origin than the activity.
 */
const onActorHost = (activity: Activity) => activity.id !== null && activity.actorId !== null && activity.id.origin === activity.actorId.origin;

/**
 * The blog's inbox listeners, registered by area (follows.ts; replies and reactions add theirs the same way):
 * `inbox.on(Follow, handler)`, `inbox.onUndo(Like, handler)`. Several areas may listen to one class; Undo is shared
 * out by the class of what it undoes, as Fedify takes one listener per class.
 */
export function createInboxRegistry() {
  const listeners = new Map<VocabClass<Activity>, InboxListener<Activity>[]>();
  const undoListeners = new Map<VocabClass<ApObject>, UndoListener<ApObject>[]>();
  const registry = {
    on<T extends Activity>(type: VocabClass<T>, listener: InboxListener<T>) {
      const list = listeners.get(type) ?? [];
      list.push(listener as InboxListener<Activity>);
      listeners.set(type, list);
      return registry;
    },
    onUndo<T extends ApObject>(type: VocabClass<T>, listener: UndoListener<T>) {
      const list = undoListeners.get(type) ?? [];
      list.push(listener as UndoListener<ApObject>);
      undoListeners.set(type, list);
      return registry;
    },
    /** Hands every listener to Fedify's inbox. */
    attach(setters: InboxListenerSetters<void>, deps: FediverseDeps) {
      for (const [type, list] of listeners) {
        setters.on(type, async (ctx, activity) => {
          if (!onActorHost(activity)) return;
          for (const listener of list) await listener(ctx, activity, deps);
        });
      }
      setters.on(Undo, async (ctx, received) => {
        if (!onActorHost(received)) return;
        const named = received.objectId;
        let object: ApObject | null = null;
        try {
          object = await received.getObject(ctx);
        } catch {
          // Unreachable or not a document: the listeners match by undo.objectId alone.
        }
        // Only the object it names counts: an id with a fragment (Mastodon's …/users/bob#likes/1) fetches the actor
        // instead, and Fedify then puts that actor's id in the Undo: the listeners get the Undo as it came.
        const undo = object?.id?.href === named?.href ? received : received.clone({ object: named });
        if (undo !== received) object = null;
        for (const [type, list] of undoListeners) {
          if (object !== null && !(object instanceof type)) continue;
          for (const listener of list) await listener(ctx, undo, object, deps);
        }
      });
    },
  };
  return registry;
}

export type InboxRegistry = ReturnType<typeof createInboxRegistry>;

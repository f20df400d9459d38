import CNats
import Foundation

/// What a watcher reports.
public enum KeyValueUpdate: Sendable, Equatable {
    case entry(KeyValueEntry)
    /// Everything that existed when the watch began has been delivered; later entries are live changes.
    case initialValuesDone
}

extension KeyValueStore {
    /// Watches keys matching `keys` (`>` = all). Delivers the current values first (unless `updatesOnly`),
    /// then `.initialValuesDone`, then live changes. Iterating ends after `stop()` or when the watcher fails.
    public func watch(_ keys: String = ">", includeHistory: Bool = false, ignoreDeletes: Bool = false) async throws -> KeyValueWatcher {
        let kv = UncheckedPointer(pointer: handle)
        let watcher = try await jetStream.blocking { () throws -> UncheckedPointer in
            var options = kvWatchOptions()
            try check(kvWatchOptions_Init(&options), "KV watch options")
            options.IncludeHistory = includeHistory
            options.IgnoreDeletes = ignoreDeletes
            var watcher: OpaquePointer?
            try check(kvStore_Watch(&watcher, kv.pointer, keys, &options), "KV watch \(keys)")
            guard let watcher else { throw NatsError(kind: .other, message: "KV watch \(keys): no watcher") }
            return UncheckedPointer(pointer: watcher)
        }
        return KeyValueWatcher(handle: watcher.pointer, store: self)
    }
}

/// A live KV watch. `kvWatcher_Next` blocks, so one dedicated thread per watcher pumps entries into an
/// AsyncStream; watchers are few (one per node), so that is cheaper than polling.
public final class KeyValueWatcher: AsyncSequence, @unchecked Sendable {
    public typealias Element = KeyValueUpdate

    private let handle: OpaquePointer
    private let stream: AsyncStream<KeyValueUpdate>
    private let finished = DispatchSemaphore(value: 0)
    private let store: KeyValueStore

    init(handle: OpaquePointer, store: KeyValueStore) {
        self.handle = handle
        self.store = store
        let (stream, continuation) = AsyncStream.makeStream(of: KeyValueUpdate.self, bufferingPolicy: .unbounded)
        self.stream = stream
        let watcher = UncheckedPointer(pointer: handle)
        let finished = self.finished
        let thread = Thread {
            while true {
                var entry: OpaquePointer?
                let status = kvWatcher_Next(&entry, watcher.pointer, 1000)
                if status == NATS_TIMEOUT { continue }
                guard status == NATS_OK else { break }
                if let entry {
                    continuation.yield(.entry(KeyValueEntry(copying: entry)))
                    kvEntry_Destroy(entry)
                } else {
                    continuation.yield(.initialValuesDone)
                }
            }
            continuation.finish()
            finished.signal()
        }
        thread.name = "kv-watch-\(store.bucket)"
        thread.start()
    }

    deinit {
        kvWatcher_Stop(handle)
        finished.wait()
        kvWatcher_Destroy(handle)
    }

    /// Stops the watch; the sequence ends.
    public func stop() {
        kvWatcher_Stop(handle)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<KeyValueUpdate>.Iterator
        let owner: KeyValueWatcher
        public mutating func next() async -> KeyValueUpdate? { await base.next() }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), owner: self)
    }
}

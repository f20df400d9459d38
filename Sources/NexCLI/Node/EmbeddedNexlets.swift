import Logging
import NexNode

/// The nexlets `node up` runs inside the node process unless `--disable-native-start` is given.
enum EmbeddedNexlets {
    /// The embedded runners for a node in `nexus`.
    ///
    /// NATIVE NEXLET HOOK: the native nexlet does not exist yet. When the Nexlet module ships it, return it
    /// here — one line, e.g. `return [NativeNexlet(nexus: nexus, logger: logger)]` — and drop the warning in
    /// ``NodeRunner``. Everything else (`--disable-native-start`, restart limit, registration) is wired.
    static func native(nexus: String, logger: Logger) -> [any EmbeddedAgentRunner] {
        []
    }
}

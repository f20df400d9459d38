/// Module `NexProtocol`: see README.md, "Architecture".
public enum NexProtocolModule {
    public static let name = "NexProtocol"
}

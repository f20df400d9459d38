/// Module `NexNode`: see README.md, "Architecture".
public enum NexNodeModule {
    public static let name = "NexNode"
}

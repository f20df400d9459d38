/// Module `NexClient`: see README.md, "Architecture".
public enum NexClientModule {
    public static let name = "NexClient"
}

/// Module `Nexlet`: see README.md, "Architecture".
public enum NexletModule {
    public static let name = "Nexlet"
}

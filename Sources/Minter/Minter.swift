/// Module `Minter`: see README.md, "Architecture".
public enum MinterModule {
    public static let name = "Minter"
}

/// The dialtone release, in one place: `dialtoned --version`, `GET /status` and the packaging read it here.
public enum DialtoneVersion {
    public static let current = "0.1.0"
}

extension Settings {
    /// Where a setting's value came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// The built-in default.
        case builtIn
        /// A default computed from this environment variable, such as `STATE_DIRECTORY`.
        case derived(from: String)
        /// The config file at this path.
        case file(String)
        /// This environment variable.
        case environment(String)
        /// This command-line option.
        case option(String)

        /// `default`, `default from $STATE_DIRECTORY`, the file's path, the variable or the option.
        public var description: String {
            switch self {
            case .builtIn: "default"
            case .derived(let variable): "default from $\(variable)"
            case .file(let path): path
            case .environment(let name): name
            case .option(let name): name
            }
        }
    }
}

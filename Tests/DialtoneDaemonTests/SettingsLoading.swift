@testable import DialtoneDaemon

/// Loads settings with an environment and command line the test controls, and a default config
/// path that does not exist, so nothing on the machine leaks in.
func loadSettings(
    options: [Settings.Key: [String]] = [:],
    environment: [String: String] = ["HOME": "/home/tester"],
    defaultConfigPath: String = "/nonexistent/dialtone.json"
) throws(SettingsError) -> Settings {
    try Settings.load(
        Settings.Inputs(options: options, environment: environment, defaultConfigPath: defaultConfigPath)
    )
}

/// The problems a load reports, as text; empty when it succeeds.
func problems(
    options: [Settings.Key: [String]] = [:],
    environment: [String: String] = ["HOME": "/home/tester"],
    defaultConfigPath: String = "/nonexistent/dialtone.json"
) -> [String] {
    do {
        _ = try loadSettings(options: options, environment: environment, defaultConfigPath: defaultConfigPath)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

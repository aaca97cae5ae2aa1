import ArgumentParser
import DialtoneDaemon

/// One `--<name>` option per setting. Options are optional strings without defaults, so an option
/// not given leaves the environment, the file and the default in charge; the values are checked by
/// `Settings.load`, which names the source in its errors.
struct SettingsOptions: ParsableArguments {
    @Option(help: help(.config)) var config: String?
    @Option(help: help(.listen)) var listen: [String] = []
    @Option(help: help(.controlSocket)) var controlSocket: String?
    @Option(help: help(.stateDir)) var stateDir: String?
    @Option(help: help(.ringTimeout)) var ringTimeout: String?
    @Option(help: help(.reconnectGrace)) var reconnectGrace: String?
    @Option(help: help(.pingInterval)) var pingInterval: String?
    @Option(help: help(.pingTimeout)) var pingTimeout: String?
    @Option(help: help(.connectTimeout)) var connectTimeout: String?
    @Option(help: help(.maxPayload)) var maxPayload: String?
    @Option(help: help(.eventLoops)) var eventLoops: String?
    @Option(help: help(.auth)) var auth: String?
    @Option(help: help(.jwtSecret)) var jwtSecret: String?
    @Option(help: help(.jwtSecretFile)) var jwtSecretFile: String?
    @Option(help: help(.jwtPublicKeyFile)) var jwtPublicKeyFile: String?
    @Option(help: help(.logLevel)) var logLevel: String?
    @Option(help: help(.logTarget)) var logTarget: String?
    @Option(help: help(.historyLimit)) var historyLimit: String?
    @Option(help: help(.historySaveInterval)) var historySaveInterval: String?
    @Option(help: help(.iceServers)) var iceServers: String?
    @Option(help: help(.corsOrigins)) var corsOrigins: [String] = []
    @Option(help: help(.maxConnections)) var maxConnections: String?
    @Option(help: help(.maxConnectionsPerAddress)) var maxConnectionsPerAddress: String?
    @Option(help: help(.maxCallsPerUser)) var maxCallsPerUser: String?
    @Option(help: help(.rateLimit)) var rateLimit: String?
    @Option(help: help(.rateBurst)) var rateBurst: String?
    @Option(help: help(.maxPollingSessions)) var maxPollingSessions: String?
    @Option(help: help(.requestTimeout)) var requestTimeout: String?
    @Option(help: help(.idleTimeout)) var idleTimeout: String?
    @Option(help: help(.allowRemoteWithoutAuth)) var allowRemoteWithoutAuth: String?

    /// The options that were given, by setting.
    var values: [Settings.Key: [String]] {
        let given: [(Settings.Key, [String])] = [
            (.config, config.map { [$0] } ?? []),
            (.listen, listen),
            (.controlSocket, controlSocket.map { [$0] } ?? []),
            (.stateDir, stateDir.map { [$0] } ?? []),
            (.ringTimeout, ringTimeout.map { [$0] } ?? []),
            (.reconnectGrace, reconnectGrace.map { [$0] } ?? []),
            (.pingInterval, pingInterval.map { [$0] } ?? []),
            (.pingTimeout, pingTimeout.map { [$0] } ?? []),
            (.connectTimeout, connectTimeout.map { [$0] } ?? []),
            (.maxPayload, maxPayload.map { [$0] } ?? []),
            (.eventLoops, eventLoops.map { [$0] } ?? []),
            (.auth, auth.map { [$0] } ?? []),
            (.jwtSecret, jwtSecret.map { [$0] } ?? []),
            (.jwtSecretFile, jwtSecretFile.map { [$0] } ?? []),
            (.jwtPublicKeyFile, jwtPublicKeyFile.map { [$0] } ?? []),
            (.logLevel, logLevel.map { [$0] } ?? []),
            (.logTarget, logTarget.map { [$0] } ?? []),
            (.historyLimit, historyLimit.map { [$0] } ?? []),
            (.historySaveInterval, historySaveInterval.map { [$0] } ?? []),
            (.iceServers, iceServers.map { [$0] } ?? []),
            (.corsOrigins, corsOrigins),
            (.maxConnections, maxConnections.map { [$0] } ?? []),
            (.maxConnectionsPerAddress, maxConnectionsPerAddress.map { [$0] } ?? []),
            (.maxCallsPerUser, maxCallsPerUser.map { [$0] } ?? []),
            (.rateLimit, rateLimit.map { [$0] } ?? []),
            (.rateBurst, rateBurst.map { [$0] } ?? []),
            (.maxPollingSessions, maxPollingSessions.map { [$0] } ?? []),
            (.requestTimeout, requestTimeout.map { [$0] } ?? []),
            (.idleTimeout, idleTimeout.map { [$0] } ?? []),
            (.allowRemoteWithoutAuth, allowRemoteWithoutAuth.map { [$0] } ?? []),
        ]
        return Dictionary(uniqueKeysWithValues: given.filter { !$0.1.isEmpty })
    }

    private static func help(_ key: Settings.Key) -> ArgumentHelp {
        ArgumentHelp(
            "\(key.summary) Default: \(key.defaultDescription). Environment: \(key.environmentName).",
            valueName: key.valueName
        )
    }
}

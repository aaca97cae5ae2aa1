import Configuration
import Foundation
import Synchronization

/// A setting's value as one source gave it, before validation.
struct RawSetting {
    enum Value {
        case text(String)
        case list([String])
    }

    let value: Value
    let source: Settings.Source
}

/// The command line, the environment and the config file as swift-configuration providers in
/// precedence order, read through one `ConfigReader` that also reports which source answered.
struct SettingsSources {
    private enum Origin {
        case options
        case environment
        case file(String)
    }

    private let reader: ConfigReader
    private let recorder = LookupRecorder()
    /// The origin of each provider, in the reader's order.
    private let origins: [Origin]

    init(options: [Settings.Key: [String]], environment: [String: String], file: ConfigFile?) {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: Self.optionValues(options)),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ConfigKey(["dialtone"])),
        ]
        var origins: [Origin] = [.options, .environment]
        if let file {
            providers.append(InMemoryProvider(name: file.path, values: file.values))
            origins.append(.file(file.path))
        }
        self.origins = origins
        self.reader = ConfigReader(providers: providers, accessReporter: recorder)
    }

    /// The value of `key` from the first source that has one.
    func value(of key: Settings.Key) -> RawSetting? {
        let configKey = ConfigKey([key.name])
        let value: RawSetting.Value? =
            if key.isList {
                reader.stringArray(forKey: configKey, isSecret: key.isSecret).map { .list($0) }
            } else {
                reader.string(forKey: configKey, isSecret: key.isSecret).map { .text($0) }
            }
        guard let value, let answer = recorder.lastAnswer() else { return nil }
        let source: Settings.Source =
            switch origins[answer.providerIndex] {
            case .options: .option(key.optionName)
            case .environment: .environment(answer.encodedKey)
            case .file(let path): .file(path)
            }
        return RawSetting(value: value, source: source)
    }

    /// Options typed as the reader asks for them: a list setting given as `--listen a,b --listen c`
    /// is one list of three; for any other, the last occurrence wins.
    private static func optionValues(_ options: [Settings.Key: [String]]) -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, given) in options {
            guard let last = given.last else { continue }
            let content: ConfigContent =
                key.isList ? .stringArray(given.flatMap(Settings.splitList)) : .string(last)
            values[AbsoluteConfigKey([key.name])] = ConfigValue(content, isSecret: key.isSecret)
        }
        return values
    }
}

extension Settings {
    /// The items of a comma list, without surrounding spaces; empty items stay, so they are
    /// reported rather than silently dropped.
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }
}

/// Remembers which provider answered the reader's last lookup.
private final class LookupRecorder: AccessReporter {
    struct Answer {
        let providerIndex: Int
        let encodedKey: String
    }

    private let answer = Mutex<Answer?>(nil)

    func report(_ event: AccessEvent) {
        let winner = event.providerResults.enumerated().lazy.compactMap { index, result -> Answer? in
            guard let lookup = try? result.result.get(), lookup.value != nil else { return nil }
            return Answer(providerIndex: index, encodedKey: lookup.encodedKey)
        }.first
        answer.withLock { $0 = winner }
    }

    func lastAnswer() -> Answer? {
        answer.withLock { $0 }
    }
}

import Configuration
import DialtoneJSON

/// The settings in a JSON config file, checked strictly (unknown or repeated keys are errors) and
/// turned into the text and lists the other sources give.
///
/// swift-configuration's own JSON provider is not used: it cannot list a file's keys, which
/// unknown-key errors need, and rejects arrays of objects such as `ice-servers`.
struct ConfigFile {
    let path: String
    let values: [AbsoluteConfigKey: ConfigValue]

    /// Reads and checks the file; `source` says who asked for it, for "does not exist".
    ///
    /// - Returns: The file with every value that could be taken (nil if none could), and the
    ///   problems found, so a bad key is reported along with the bad values of other sources.
    static func read(path: String, source: Settings.Source) -> (file: ConfigFile?, problems: [SettingsError.Problem]) {
        let bytes: [UInt8]
        do {
            guard let contents = try Syscalls.readAll(path) else {
                let path = JSON.string(path).serialized()
                return (nil, [.invalid(.config, value: path, source: source, reason: "does not exist")])
            }
            bytes = contents
        } catch {
            return (nil, [.configFile(path, "cannot be read: \(error.reason)")])
        }
        let document: JSON
        do {
            document = try JSON(parsing: bytes)
        } catch {
            return (nil, [.configFile(path, "is not valid JSON: \(error)")])
        }
        guard let object = document.objectValue else {
            return (nil, [.configFile(path, "must hold one JSON object of settings")])
        }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        var seen: Set<String> = []
        var problems: [SettingsError.Problem] = []
        for (name, value) in object {
            guard seen.insert(name).inserted else {
                problems.append(.configFile(path, "sets \"\(name)\" more than once"))
                continue
            }
            guard let key = Settings.Key(rawValue: name) else {
                problems.append(.unknownKey(name, file: path))
                continue
            }
            guard key != .config else {
                problems.append(.inconsistent(.config, "cannot be set inside the config file \(path)"))
                continue
            }
            switch content(of: value, for: key, in: path) {
            case .some(.success(let content)):
                values[AbsoluteConfigKey([name])] = ConfigValue(content, isSecret: key.isSecret)
            case .some(.failure(let problem)):
                problems.append(problem)
            case .none:
                continue
            }
        }
        return (ConfigFile(path: path, values: values), problems)
    }

    /// The value as the other sources would give it; `nil` for JSON `null`, which leaves the
    /// setting to the defaults.
    private static func content(
        of value: JSON,
        for key: Settings.Key,
        in path: String
    ) -> Result<ConfigContent, SettingsError.Problem>? {
        let notA = SettingsError.Problem.notA(
            key,
            value: key.isSecret ? "<redacted>" : value.serialized(),
            source: .file(path)
        )
        switch value {
        case .null:
            return nil
        case .string(let text) where key.isList:
            return .success(.stringArray(Settings.splitList(text)))
        case .array(let items) where key.isList:
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? .success(.stringArray(strings)) : .failure(notA)
        case .array where key == .iceServers:
            return .success(.string(value.serialized()))
        case .bool(let flag) where key.isBoolean:
            return .success(.string(flag ? "true" : "false"))
        case .number(let number) where key.isNumeric:
            return .success(.string(number.text))
        case .string(let text) where !key.isList:
            return .success(.string(text))
        default:
            return .failure(notA)
        }
    }
}

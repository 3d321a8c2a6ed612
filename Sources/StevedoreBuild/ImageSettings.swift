import StevedoreCore

/// What the image's configuration says about running it, as given by the user (`--env`, `--expose`…).
///
/// A `nil` or empty value keeps what the base image had.
public struct ImageSettings: Hashable, Sendable {
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// Variables in the order given; a later one replaces an earlier one with the same name.
    public var environment: [EnvironmentVariable] = []
    public var workingDirectory: String?
    public var user: String?
    public var exposedPorts: [ExposedPort] = []
    public var labels: [String: String] = [:]
    /// Annotations of the manifest.
    public var annotations: [String: String] = [:]
    public var stopSignal: String?
    public var volumes: [String] = []

    public init() {}

    /// Checks the values that the parsers of single values could not: absolute paths, signal names.
    ///
    /// - Throws: ``StevedoreError`` `invalidSetting` naming the setting and the value.
    public func validate() throws {
        try Self.validate(workingDirectory: workingDirectory)
        for volume in volumes { try Self.validate(volume: volume) }
        try Self.validate(stopSignal: stopSignal)
        try Self.validate(user: user)
    }

    /// The working directory, if set, is an absolute path.
    public static func validate(workingDirectory: String?) throws {
        if let workingDirectory, !workingDirectory.hasPrefix("/") {
            throw StevedoreError(.invalidSetting, "'\(workingDirectory)' must be an absolute path, e.g. /app (the working directory)")
        }
    }

    /// A volume is an absolute path.
    public static func validate(volume: String) throws {
        guard volume.hasPrefix("/") else { throw StevedoreError(.invalidSetting, "'\(volume)' must be an absolute path (a volume)") }
    }

    /// The stop signal, if set, is a name like `SIGTERM` or a number from 1 to 64.
    public static func validate(stopSignal: String?) throws {
        guard let stopSignal else { return }
        let name = stopSignal.uppercased()
        let valid = (name.hasPrefix("SIG") && name.count > 3 && name.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" })
            || (Int(name).map { (1...64).contains($0) } ?? false)
        guard valid else {
            throw StevedoreError(.invalidSetting, "'\(stopSignal)' must be a signal name like SIGTERM or a number from 1 to 64 (the stop signal)")
        }
    }

    /// The user, if set, is `NAME`, `UID`, `NAME:GROUP` or `UID:GID` without spaces.
    public static func validate(user: String?) throws {
        if let user, user.isEmpty || user.contains(where: { $0 == " " }) {
            throw StevedoreError(.invalidSetting, "'\(user)' must be NAME, UID, NAME:GROUP or UID:GID without spaces (the user)")
        }
    }
}

/// A `NAME=VALUE` environment variable.
public struct EnvironmentVariable: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) { (self.name, self.value) = (name, value) }

    /// Parses `NAME=VALUE` (the value may be empty and may contain `=`).
    ///
    /// - Throws: ``StevedoreError`` `invalidEnvironment` when there is no `=` or the name is empty or has spaces.
    public init(parsing string: String) throws {
        guard let equals = string.firstIndex(of: "=") else {
            throw StevedoreError(.invalidEnvironment, "'\(string)' must be NAME=VALUE (use NAME= for an empty value)")
        }
        let name = String(string[..<equals])
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw StevedoreError(.invalidEnvironment, "'\(string)': the name before '=' must be non-empty and without spaces")
        }
        self.init(name: name, value: String(string[string.index(after: equals)...]))
    }

    public var description: String { "\(name)=\(value)" }
}

/// A port the image says it listens on: `8080`, `8080/tcp`, `53/udp`.
public struct ExposedPort: Hashable, Sendable, CustomStringConvertible {
    public var port: Int
    public var transport: String

    /// Parses `PORT[/tcp|/udp|/sctp]`.
    ///
    /// - Throws: ``StevedoreError`` `invalidPort`.
    public init(parsing string: String) throws {
        let parts = string.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let port = Int(parts[0]), (1...65535).contains(port) else {
            throw StevedoreError(.invalidPort, "'\(string)' must be PORT[/tcp|udp] with PORT from 1 to 65535, e.g. 8080 or 53/udp")
        }
        let transport = parts.count == 2 ? parts[1].lowercased() : "tcp"
        guard ["tcp", "udp", "sctp"].contains(transport) else {
            throw StevedoreError(.invalidPort, "'\(string)': the protocol must be tcp, udp or sctp")
        }
        self.port = port
        self.transport = transport
    }

    public var description: String { "\(port)/\(transport)" }
}

/// A `KEY=VALUE` label or annotation.
public struct KeyValue: Hashable, Sendable {
    public var key: String
    public var value: String

    /// Parses `KEY=VALUE`.
    ///
    /// - Throws: ``StevedoreError`` with `code` when there is no `=` or the key is empty.
    public init(parsing string: String, code: StevedoreError.Code) throws {
        guard let equals = string.firstIndex(of: "="), equals != string.startIndex else {
            throw StevedoreError(code, "'\(string)' must be KEY=VALUE with a non-empty KEY")
        }
        key = String(string[..<equals])
        value = String(string[string.index(after: equals)...])
    }
}

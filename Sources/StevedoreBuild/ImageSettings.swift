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

    /// Checks the values that the flags' parsers could not: absolute paths, signal names.
    ///
    /// - Throws: ``StevedoreError`` naming the flag.
    public func validate() throws {
        if let workingDirectory, !workingDirectory.hasPrefix("/") {
            throw StevedoreError(.invalidSetting, "--workdir '\(workingDirectory)' must be an absolute path, e.g. /app")
        }
        for volume in volumes where !volume.hasPrefix("/") {
            throw StevedoreError(.invalidSetting, "--volume '\(volume)' must be an absolute path")
        }
        if let stopSignal {
            let name = stopSignal.uppercased()
            let valid = (name.hasPrefix("SIG") && name.count > 3 && name.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" })
                || (Int(name).map { (1...64).contains($0) } ?? false)
            guard valid else {
                throw StevedoreError(.invalidSetting, "--stop-signal '\(stopSignal)' must be a signal name like SIGTERM or a number from 1 to 64")
            }
        }
        if let user, user.isEmpty || user.contains(where: { $0 == " " }) {
            throw StevedoreError(.invalidSetting, "--user '\(user)' must be NAME, UID, NAME:GROUP or UID:GID without spaces")
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
            throw StevedoreError(.invalidEnvironment, "--env '\(string)' must be NAME=VALUE (use NAME= for an empty value)")
        }
        let name = String(string[..<equals])
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw StevedoreError(.invalidEnvironment, "--env '\(string)': the name before '=' must be non-empty and without spaces")
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
            throw StevedoreError(.invalidPort, "--expose '\(string)' must be PORT[/tcp|udp] with PORT from 1 to 65535, e.g. 8080 or 53/udp")
        }
        let transport = parts.count == 2 ? parts[1].lowercased() : "tcp"
        guard ["tcp", "udp", "sctp"].contains(transport) else {
            throw StevedoreError(.invalidPort, "--expose '\(string)': the protocol must be tcp, udp or sctp")
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

    /// Parses `KEY=VALUE`, naming `flag` in the error.
    ///
    /// - Throws: ``StevedoreError`` with `code` when there is no `=` or the key is empty.
    public init(parsing string: String, flag: String, code: StevedoreError.Code) throws {
        guard let equals = string.firstIndex(of: "="), equals != string.startIndex else {
            throw StevedoreError(code, "\(flag) '\(string)' must be KEY=VALUE with a non-empty KEY")
        }
        key = String(string[..<equals])
        value = String(string[string.index(after: equals)...])
    }
}

import Foundation
import StevedoreCore

/// SwiftPM's `Package.resolved`: the pinned Swift packages of a package's dependency graph. Versions 1 (`object.pins`
/// with `package` and `repositoryURL`), 2 and 3 (`pins` with `identity`, `kind` and `location`) are read.
public struct PackageResolved: Hashable, Sendable {
    /// The pins, sorted by identity.
    public var packages: [SwiftPackage]

    /// Reads the file at `path`.
    ///
    /// - Throws: ``StevedoreError`` `invalidPackageResolved` when it cannot be read or parsed.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StevedoreError(.invalidPackageResolved, "cannot read the Package.resolved file '\(path)': \(error.localizedDescription)", cause: error)
        }
        do {
            try self.init(data: data)
        } catch let error as StevedoreError {
            throw StevedoreError(error.code, "'\(path)': \(error.message)", cause: error.cause)
        }
    }

    /// Parses the contents of a `Package.resolved` file.
    ///
    /// - Throws: ``StevedoreError`` `invalidPackageResolved` for JSON that is not a version 1, 2 or 3 file.
    public init(data: Data) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw StevedoreError(.invalidPackageResolved, "not a Package.resolved file (JSON with 'version' and 'pins'): \(error)", cause: error)
        }
        let pins: [Pin]
        switch file.version {
        case 1:
            guard let object = file.object else {
                throw StevedoreError(.invalidPackageResolved, "a version 1 Package.resolved file has no 'object.pins'")
            }
            pins = object.pins
        case 2, 3:
            guard let list = file.pins else {
                throw StevedoreError(.invalidPackageResolved, "a version \(file.version) Package.resolved file has no 'pins'")
            }
            pins = list
        default:
            throw StevedoreError(.invalidPackageResolved, "Package.resolved version \(file.version) is not supported (1, 2 and 3 are); resolve the package with a SwiftPM of 5.2 to 6.x")
        }
        var packages: [SwiftPackage] = []
        for pin in pins {
            guard let location = pin.location ?? pin.repositoryURL else {
                throw StevedoreError(.invalidPackageResolved, "a pin has neither 'location' nor 'repositoryURL'")
            }
            let identity = pin.identity ?? Self.identity(of: location, name: pin.package)
            packages.append(SwiftPackage(
                identity: identity, location: location,
                version: pin.state.version, revision: pin.state.revision, branch: pin.state.branch
            ))
        }
        self.packages = packages.sorted()
    }

    /// SwiftPM's identity of a location: its last path component without `.git`, in lowercase.
    static func identity(of location: String, name: String?) -> String {
        var last = location.split(separator: "/").last.map(String.init) ?? (name ?? location)
        if last.hasSuffix(".git") { last = String(last.dropLast(4)) }
        return last.lowercased()
    }

    private struct File: Decodable {
        var version: Int
        var pins: [Pin]?
        var object: Object?
    }

    private struct Object: Decodable {
        var pins: [Pin]
    }

    private struct Pin: Decodable {
        var identity: String?
        var location: String?
        var package: String?
        var repositoryURL: String?
        var state: State
    }

    private struct State: Decodable {
        var version: String?
        var revision: String?
        var branch: String?
    }
}

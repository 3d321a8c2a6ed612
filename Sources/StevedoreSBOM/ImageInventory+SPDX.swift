import StevedoreCore

extension ImageInventory {
    /// The document namespace of the inventory's SPDX document: `https://stevedore.invalid/spdx/<name>/<sha256 hex>`,
    /// unique per image digest (the `.invalid` host, reserved by RFC 2606, is never fetched) and the same on every
    /// build of the same image.
    public var spdxNamespace: String {
        let name = SPDXIdentifier.sanitized(self.name)
        return "https://stevedore.invalid/spdx/\(name.isEmpty ? "image" : name)/\(digest.encoded)"
    }

    /// The inventory as an SPDX 2.3 document.
    ///
    /// Elements: the document `DESCRIBES` the image (or the index, which `CONTAINS` one image per platform). Each
    /// image `CONTAINS` its executable, the Debian packages of its libraries (each `CONTAINS` its library files),
    /// the libraries no package owns, and the copied Swift runtime; it is a `DESCENDANT_OF` its base image. The
    /// executable `DEPENDS_ON` the Swift packages and the Swift runtime (`STATIC_LINK` when linked statically)
    /// and has a `DYNAMIC_LINK` to each library file. Files are packages with a `packageFileName` and a `SHA256`
    /// checksum, since SPDX files need SHA1 checksums and a package that lists files needs a verification code.
    public var spdxDocument: SPDXDocument {
        var ids = SPDXIdentifier()
        var packages: [SPDXDocument.Package] = []
        var relationships: [SPDXDocument.Relationship] = []

        let rootID = ids.allocate([isIndex ? "Index" : "Image"])
        var root = SPDXDocument.Package(SPDXID: rootID, name: name, versionInfo: digest.description)
        root.checksums = [Self.checksum(digest)]
        root.externalRefs = [.purl(Self.ociPackageURL(name: name, digest: digest, platform: isIndex ? nil : images.first?.platform))]
        root.primaryPackagePurpose = "CONTAINER"
        root.comment = isIndex ? "OCI image index" : images.first.map { "OCI image for \($0.platform)" }
        packages.append(root)
        relationships.append(.init("SPDXRef-DOCUMENT", "DESCRIBES", rootID))

        var swiftIDs: [String] = []
        for swiftPackage in swiftPackages {
            let id = ids.allocate(["Package", "swift", swiftPackage.identity])
            var package = SPDXDocument.Package(
                SPDXID: id, name: swiftPackage.identity, versionInfo: swiftPackage.versionText,
                downloadLocation: Self.spdxDownloadLocation(swiftPackage) ?? "NOASSERTION"
            )
            package.externalRefs = swiftPackage.packageURL.map { [.purl($0)] }
            package.primaryPackagePurpose = "LIBRARY"
            package.sourceInfo = swiftPackage.revision.map { "revision \($0)" + (swiftPackage.branch.map { " of branch \($0)" } ?? "") }
            packages.append(package)
            swiftIDs.append(id)
        }

        var debianIDs: [DebianPackage: String] = [:]
        for image in images {
            let platform = image.platform.description
            let imageID: String
            if isIndex {
                imageID = ids.allocate(["Image", platform])
                var package = SPDXDocument.Package(SPDXID: imageID, name: "\(name) \(platform)", versionInfo: image.manifestDigest.description)
                package.checksums = [Self.checksum(image.manifestDigest)]
                package.externalRefs = [.purl(Self.ociPackageURL(name: name, digest: image.manifestDigest, platform: image.platform))]
                package.primaryPackagePurpose = "CONTAINER"
                package.comment = "OCI image for \(platform)"
                packages.append(package)
                relationships.append(.init(rootID, "CONTAINS", imageID))
            } else {
                imageID = rootID
            }
            let prefix = isIndex ? [platform] : []

            if let base = image.base {
                let baseID = ids.allocate(["BaseImage"] + prefix)
                var package = SPDXDocument.Package(SPDXID: baseID, name: base.name, versionInfo: base.digest.description)
                package.checksums = [Self.checksum(base.digest)]
                package.primaryPackagePurpose = "CONTAINER"
                package.comment = "the base image (--from)"
                packages.append(package)
                relationships.append(.init(imageID, "DESCENDANT_OF", baseID))
            }

            var executableID: String?
            if let executable = image.executable {
                let id = ids.allocate(["Executable"] + prefix + [executable.name])
                var package = SPDXDocument.Package(SPDXID: id, name: executable.name)
                package.packageFileName = executable.imagePath
                package.checksums = [Self.checksum(executable.sha256)]
                package.primaryPackagePurpose = "APPLICATION"
                packages.append(package)
                relationships.append(.init(imageID, "CONTAINS", id))
                for swiftID in swiftIDs { relationships.append(.init(id, "DEPENDS_ON", swiftID)) }
                executableID = id
            }

            if let runtime = image.swiftRuntime {
                let id = ids.allocate(["Package", "swift-runtime"] + prefix)
                var package = SPDXDocument.Package(SPDXID: id, name: "swift-runtime", versionInfo: runtime.version)
                package.supplier = "Organization: Swift.org"
                package.primaryPackagePurpose = "FRAMEWORK"
                switch runtime.linkage {
                case .copied:
                    package.comment = "the Swift runtime libraries copied from the toolchain" + (runtime.versionDescription.map { " (\($0))" } ?? "")
                    relationships.append(.init(imageID, "CONTAINS", id))
                    if let executableID { relationships.append(.init(executableID, "DEPENDS_ON", id)) }
                case .linkedStatically:
                    package.comment = "linked statically into the executable (-static-stdlib); the executable does not record the toolchain's version"
                    if let executableID { relationships.append(.init(executableID, "STATIC_LINK", id)) }
                }
                packages.append(package)
            }

            for library in image.libraries {
                let id = ids.allocate(["File"] + prefix + [library.imagePath])
                var package = SPDXDocument.Package(SPDXID: id, name: library.name)
                package.packageFileName = library.imagePath
                package.checksums = [Self.checksum(library.sha256)]
                package.primaryPackagePurpose = "LIBRARY"
                if let debian = library.debianPackage {
                    let debianID: String
                    if let known = debianIDs[debian] {
                        debianID = known
                    } else {
                        debianID = ids.allocate(["Package", "deb", debian.name, debian.architecture])
                        debianIDs[debian] = debianID
                        var deb = SPDXDocument.Package(SPDXID: debianID, name: debian.name, versionInfo: debian.version)
                        deb.supplier = "Organization: Debian"
                        deb.externalRefs = [.purl(debian.packageURL)]
                        deb.sourceInfo = debian.source.map { "built from the Debian source package \($0)" }
                        deb.primaryPackagePurpose = "LIBRARY"
                        packages.append(deb)
                        relationships.append(.init(imageID, "CONTAINS", debianID))
                    }
                    relationships.append(.init(debianID, "CONTAINS", id))
                } else {
                    package.comment = "no Debian package owns this file on the build host"
                    relationships.append(.init(imageID, "CONTAINS", id))
                }
                packages.append(package)
                if let executableID { relationships.append(.init(executableID, "DYNAMIC_LINK", id)) }
            }
        }

        return SPDXDocument(
            name: name,
            documentNamespace: spdxNamespace,
            creationInfo: .init(created: SBOMEncoding.timestamp(creationTime), creators: ["Tool: stevedore"]),
            packages: packages,
            relationships: relationships
        )
    }

    static func checksum(_ digest: Digest) -> SPDXDocument.Checksum {
        SPDXDocument.Checksum(algorithm: digest.algorithm.uppercased(), checksumValue: digest.encoded)
    }

    /// `pkg:oci/NAME@sha256:…?repository_url=REPOSITORY&arch=…`: the last path component of a repository name,
    /// with the whole repository as `repository_url` when the name has a registry.
    static func ociPackageURL(name: String, digest: Digest, platform: Platform?) -> PackageURL {
        let components = name.split(separator: "/").map(String.init)
        var qualifiers: [String: String] = [:]
        if components.count > 1 { qualifiers["repository_url"] = name }
        if let platform {
            qualifiers["arch"] = platform.architecture
            qualifiers["os"] = platform.os
        }
        return PackageURL(type: "oci", name: (components.last ?? name).lowercased(), version: digest.description, qualifiers: qualifiers)
    }

    /// SPDX's `downloadLocation` of a Swift package: `git+URL[@revision]`, or `nil` for a local package.
    static func spdxDownloadLocation(_ package: SwiftPackage) -> String? {
        guard let location = package.downloadLocation else { return nil }
        let revision = package.revision.map { "@\($0)" } ?? ""
        if location.hasPrefix("git@") { return "git+\(location)" }
        if location.hasPrefix("git://") { return location + revision }
        return "git+\(location)\(revision)"
    }
}

import StevedoreCore

extension ImageInventory {
    /// The serial number of the inventory's CycloneDX BOM: a `urn:uuid:` made of the first 128 bits of the image
    /// digest, with the version nibble set to 8 (RFC 9562's custom UUIDs) and the RFC 4122 variant bits.
    public var cycloneDXSerialNumber: String {
        var hex = Array(digest.encoded.prefix(32))
        while hex.count < 32 { hex.append("0") }
        hex[12] = "8"
        if let nibble = hex[16].hexDigitValue { hex[16] = Array("89ab")[nibble & 0x3] }
        let text = String(hex)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    /// The inventory as a CycloneDX 1.5 BOM: the image (or index) is the metadata component; the platform images,
    /// executables, Swift runtime, Swift packages, Debian packages and library files are components; the
    /// dependencies say which contains or needs which, as in ``spdxDocument``.
    public var cycloneDXDocument: CycloneDXDocument {
        var identifiers = SPDXIdentifier()
        // The same stable, unique names as the SPDX document's elements, without `SPDXRef-`.
        func allocate(_ parts: [String]) -> String { String(identifiers.allocate(parts).dropFirst("SPDXRef-".count)) }
        var components: [CycloneDXDocument.Component] = []
        var dependencies: [String: [String]] = [:]
        func depend(_ ref: String, on other: String) { dependencies[ref, default: []].append(other) }

        let rootRef = allocate([isIndex ? "Index" : "Image"])
        var root = CycloneDXDocument.Component(bomRef: rootRef, type: "container", name: name, version: digest.description)
        root.hashes = [Self.hash(digest)]
        root.purl = Self.ociPackageURL(name: name, digest: digest, platform: isIndex ? nil : images.first?.platform).description

        var swiftRefs: [String] = []
        for swiftPackage in swiftPackages {
            let ref = allocate(["Package", "swift", swiftPackage.identity])
            var component = CycloneDXDocument.Component(bomRef: ref, type: "library", name: swiftPackage.identity, version: swiftPackage.versionText)
            component.purl = swiftPackage.packageURL?.description
            component.externalReferences = swiftPackage.downloadLocation.map { [.init(type: "vcs", url: $0)] }
            if let revision = swiftPackage.revision { component.properties = [.init(name: "stevedore:swift:revision", value: revision)] }
            components.append(component)
            swiftRefs.append(ref)
        }

        var debianRefs: [DebianPackage: String] = [:]
        for image in images {
            let platform = image.platform.description
            let prefix = isIndex ? [platform] : []
            let imageRef: String
            if isIndex {
                imageRef = allocate(["Image", platform])
                var component = CycloneDXDocument.Component(bomRef: imageRef, type: "container", name: "\(name) \(platform)", version: image.manifestDigest.description)
                component.hashes = [Self.hash(image.manifestDigest)]
                component.purl = Self.ociPackageURL(name: name, digest: image.manifestDigest, platform: image.platform).description
                components.append(component)
                depend(rootRef, on: imageRef)
            } else {
                imageRef = rootRef
            }
            if let base = image.base {
                let ref = allocate(["BaseImage"] + prefix)
                var component = CycloneDXDocument.Component(bomRef: ref, type: "container", name: base.name, version: base.digest.description)
                component.hashes = [Self.hash(base.digest)]
                component.description = "the base image (--from)"
                components.append(component)
                depend(imageRef, on: ref)
            }
            var executableRef: String?
            if let executable = image.executable {
                let ref = allocate(["Executable"] + prefix + [executable.name])
                var component = CycloneDXDocument.Component(bomRef: ref, type: "application", name: executable.name)
                component.hashes = [Self.hash(executable.sha256)]
                component.properties = [.init(name: "stevedore:image-path", value: executable.imagePath)]
                components.append(component)
                depend(imageRef, on: ref)
                for swiftRef in swiftRefs { depend(ref, on: swiftRef) }
                executableRef = ref
            }
            if let runtime = image.swiftRuntime {
                let ref = allocate(["Package", "swift-runtime"] + prefix)
                var component = CycloneDXDocument.Component(bomRef: ref, type: "framework", name: "swift-runtime", version: runtime.version)
                component.supplier = .init(name: "Swift.org")
                component.properties = [.init(name: "stevedore:swift:linkage", value: runtime.linkage.rawValue)]
                components.append(component)
                if runtime.linkage == .copied { depend(imageRef, on: ref) }
                if let executableRef { depend(executableRef, on: ref) }
            }
            for library in image.libraries {
                let ref = allocate(["File"] + prefix + [library.imagePath])
                var component = CycloneDXDocument.Component(bomRef: ref, type: "file", name: library.imagePath)
                component.hashes = [Self.hash(library.sha256)]
                components.append(component)
                if let debian = library.debianPackage {
                    let debianRef: String
                    if let known = debianRefs[debian] {
                        debianRef = known
                    } else {
                        debianRef = allocate(["Package", "deb", debian.name, debian.architecture])
                        debianRefs[debian] = debianRef
                        var deb = CycloneDXDocument.Component(bomRef: debianRef, type: "library", name: debian.name, version: debian.version)
                        deb.supplier = .init(name: "Debian")
                        deb.purl = debian.packageURL.description
                        components.append(deb)
                        depend(imageRef, on: debianRef)
                    }
                    depend(debianRef, on: ref)
                } else {
                    depend(imageRef, on: ref)
                }
                if let executableRef { depend(executableRef, on: ref) }
            }
        }

        let refs = [rootRef] + components.map(\.bomRef)
        let tool = CycloneDXDocument.Component(bomRef: "stevedore", type: "application", name: "stevedore")
        return CycloneDXDocument(
            serialNumber: cycloneDXSerialNumber,
            metadata: .init(timestamp: SBOMEncoding.timestamp(creationTime), tools: .init(components: [tool]), component: root),
            components: components,
            dependencies: refs.map { .init(ref: $0, dependsOn: dependencies[$0] ?? []) }
        )
    }

    static func hash(_ digest: Digest) -> CycloneDXDocument.Hash {
        CycloneDXDocument.Hash(alg: digest.algorithm == "sha512" ? "SHA-512" : "SHA-256", content: digest.encoded)
    }
}

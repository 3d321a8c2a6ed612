import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

struct OCILayoutTests {
    static func descriptor(_ text: String) -> Descriptor {
        let data = Data(text.utf8)
        return Descriptor(mediaType: .ociManifest, digest: .sha256(of: data), size: Int64(data.count))
    }

    static func tags(in layout: OCILayout) throws -> [String] {
        try layout.index().manifests.compactMap { $0.annotations?[AnnotationKey.refName] }.sorted()
    }

    @Test func createsALayoutThatOpensAgain() throws {
        let directory = try TemporaryDirectory("layout")
        let path = directory.appending("new/nested/out")
        let layout = try OCILayout(path: path)
        #expect(FileManager.default.sortedNames(inDirectory: path) == ["blobs", "index.json", "oci-layout"])
        #expect(FileManager.default.sortedNames(inDirectory: "\(path)/blobs") == ["sha256"])
        #expect(try String(contentsOfFile: "\(path)/oci-layout", encoding: .utf8) == #"{"imageLayoutVersion":"1.0.0"}"#)
        #expect(try String(contentsOfFile: "\(path)/index.json", encoding: .utf8) == #"{"manifests":[],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}"#)
        #expect(try layout.index().manifests.isEmpty)

        try layout.setTag("v1", for: Self.descriptor("one"))
        let reopened = try OCILayout(path: path, create: false)
        #expect(try reopened.resolve(tag: "v1") == layout.resolve(tag: "v1"))
        let reopenedCreating = try OCILayout(path: path)
        #expect(try Self.tags(in: reopenedCreating) == ["v1"])
    }

    @Test func createsInAnEmptyExistingDirectory() throws {
        let directory = try TemporaryDirectory("layout")
        try FileManager.default.createDirectory(atPath: directory.appending("empty"), withIntermediateDirectories: false)
        _ = try OCILayout(path: directory.appending("empty"))
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("empty")) == ["blobs", "index.json", "oci-layout"])
    }

    @Test func refusesToOpenWhatIsNotALayout() throws {
        let directory = try TemporaryDirectory("layout")
        try directory.write("project/Package.swift", "// swift-tools-version: 6.0")
        let project = directory.appending("project")
        expectLayoutError(.notALayout, containing: [project, "choose an empty or new directory"]) { try OCILayout(path: project) }
        #expect(FileManager.default.sortedNames(inDirectory: project) == ["Package.swift"]) // nothing added

        expectLayoutError(.notALayout, containing: [directory.appending("missing"), "no oci-layout file"]) {
            try OCILayout(path: directory.appending("missing"), create: false)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appending("missing")))

        let file = try directory.write("image.tar", "tar bytes")
        expectLayoutError(.notALayout, containing: [file, "is a file"]) { try OCILayout(path: file) }
    }

    @Test func pathUnderAFileGivesAClearError() throws {
        // Tests run as root, which ignores permission bits; a path under a regular file fails for anyone.
        let directory = try TemporaryDirectory("layout")
        let file = try directory.write("somefile", "x")
        expectLayoutError(.io, containing: ["cannot create \(file)/sub", "ot a directory"]) {
            try OCILayout(path: "\(file)/sub")
        }
    }

    @Test func resolvesTagsAndListsThemWhenOneIsMissing() throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        expectLayoutError(.tagNotFound, containing: ["holds no image"]) { try layout.resolve(tag: nil) }
        expectLayoutError(.tagNotFound, containing: ["no image tagged 'latest'", "(tags: none)"]) { try layout.resolve(tag: "latest") }

        try layout.setTag("v2", for: Self.descriptor("two"))
        #expect(try layout.resolve(tag: nil).digest == Self.descriptor("two").digest)
        try layout.setTag("v1", for: Self.descriptor("one"))
        try layout.setTag("edge", for: Self.descriptor("three"))

        let found = try layout.resolve(tag: "v1")
        #expect(found.digest == Self.descriptor("one").digest)
        #expect(found.annotations?[AnnotationKey.refName] == "v1")
        expectLayoutError(.tagNotFound, containing: ["\(directory.path) has no image tagged 'latest'", "(tags: edge, v1, v2)"]) {
            try layout.resolve(tag: "latest")
        }
        expectLayoutError(.ambiguousTag, containing: ["holds 3 images", "oci-layout:\(directory.path):TAG", "edge, v1, v2"]) {
            try layout.resolve(tag: nil)
        }
    }

    @Test func retaggingReplacesAndUntaggedEntriesAreAddedOnce() throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        try layout.setTag("latest", for: Self.descriptor("old"))
        try layout.setTag("latest", for: Self.descriptor("new"), extraAnnotations: [AnnotationKey.containerdImageName: "ghcr.io/o/r:latest"])
        let manifests = try layout.index().manifests
        #expect(manifests.count == 1)
        #expect(manifests.first?.digest == Self.descriptor("new").digest)
        #expect(manifests.first?.annotations == [AnnotationKey.refName: "latest", AnnotationKey.containerdImageName: "ghcr.io/o/r:latest"])

        try layout.setTag(nil, for: Self.descriptor("untagged"))
        try layout.setTag(nil, for: Self.descriptor("untagged"))
        #expect(try layout.index().manifests.count == 2)
        #expect(try layout.index().manifests.last?.annotations == nil)
    }

    @Test func aCorruptIndexIsReportedAndNotOverwritten() throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        try directory.write("index.json", #"{"manifests": [ {"digest": "#)
        expectLayoutError(.invalidIndex, containing: ["\(directory.path)/index.json"]) { try layout.index() }
        expectLayoutError(.invalidIndex) { try layout.setTag("v1", for: Self.descriptor("one")) }
        #expect(try String(contentsOfFile: directory.appending("index.json"), encoding: .utf8) == #"{"manifests": [ {"digest": "#)
        #expect(FileManager.default.sortedNames(inDirectory: directory.path) == ["blobs", "index.json", "oci-layout"])
    }

    @Test func manyThreadsTaggingOneLayoutLoseNoTag() throws {
        let directory = try TemporaryDirectory("layout")
        _ = try OCILayout(path: directory.path)
        let failures = LockedList<String>()
        let count = 48
        DispatchQueue.concurrentPerform(iterations: count) { index in
            do {
                // Its own value, its own lock file description: as a separate build would.
                let layout = try OCILayout(path: directory.path)
                try layout.setTag("thread-\(index)", for: Self.descriptor("image \(index)"))
            } catch {
                failures.append("\(index): \(error)")
            }
        }
        #expect(failures.values.isEmpty)
        let layout = try OCILayout(path: directory.path, create: false)
        #expect(try Self.tags(in: layout) == (0..<count).map { "thread-\($0)" }.sorted())
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.appending("index.json")))
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil)
        #expect(FileManager.default.sortedNames(inDirectory: directory.path) == ["blobs", "index.json", "oci-layout"]) // no temporary files left
    }

    @Test func manyTasksCreatingAndTaggingOneNewLayoutLoseNoTag() async throws {
        let directory = try TemporaryDirectory("layout")
        let path = directory.appending("fresh")
        let count = 32
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    // Every task races to create the layout, then tags; writes an image blob too.
                    let layout = try OCILayout(path: path)
                    let manifest = Data("manifest \(index)".utf8)
                    let (digest, size) = try layout.store.write(manifest)
                    try layout.setTag("task-\(index)", for: Descriptor(mediaType: .ociManifest, digest: digest, size: size))
                }
            }
            try await group.waitForAll()
        }
        let layout = try OCILayout(path: path, create: false)
        #expect(try Self.tags(in: layout) == (0..<count).map { "task-\($0)" }.sorted())
        #expect(FileManager.default.sortedNames(inDirectory: "\(path)/blobs/sha256").count == count)
        for index in 0..<count {
            let descriptor = try layout.resolve(tag: "task-\(index)")
            #expect(layout.store.contains(descriptor.digest))
        }
    }

    @Test func threadsRacingToCreateALayoutAllOpenIt() throws {
        // A builder that finds the directory half-created by another (oci-layout present, index.json not yet)
        // must not take it for a foreign directory.
        let directory = try TemporaryDirectory("layout")
        let failures = LockedList<String>()
        for round in 0..<30 {
            let path = directory.appending("round-\(round)")
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    _ = try OCILayout(path: path)
                } catch {
                    failures.append("round \(round): \(error)")
                }
            }
            #expect(FileManager.default.sortedNames(inDirectory: path) == ["blobs", "index.json", "oci-layout"])
        }
        #expect(failures.values.isEmpty, "\(failures.values.prefix(3))")
    }

    @Test func anotherProcessHoldingTheLockIsWaitedFor() async throws {
        // flock(1) takes the same kind of lock on the layout directory that OCILayout takes. While holding it,
        // the other process snapshots index.json, waits until we are about to tag (and 0.7 s more), and writes the
        // snapshot back with its own tag added. Were the lock ignored, our tag would be written during the wait
        // and then lost, and setTag would not have waited.
        let directory = try TemporaryDirectory("layout")
        let layoutPath = directory.appending("out")
        let layout = try OCILayout(path: layoutPath)
        try layout.setTag("before", for: Self.descriptor("before"))
        let other = Self.descriptor("other")
        let entry = #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(other.digest)","size":\#(other.size),"annotations":{"org.opencontainers.image.ref.name":"other"}}"#
        let script = """
            cp index.json ../snapshot && touch ../held
            i=0; while [ ! -e ../go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
            sleep 0.7 && jq -c '.manifests += [\(entry)]' ../snapshot > .tmp-other && mv .tmp-other index.json
            """
        let holder = Task.detached {
            try ProcessRunner.run(["flock", layoutPath, "sh", "-c", script], currentDirectory: layoutPath, timeout: 60)
        }
        let held = directory.appending("held")
        var waited = 0
        while !FileManager.default.fileExists(atPath: held), waited < 1500 {
            try await Task.sleep(nanoseconds: 20_000_000)
            waited += 1
        }
        #expect(FileManager.default.fileExists(atPath: held), "flock(1) never took the lock")
        let started = Date()
        try directory.write("go", "")
        try layout.setTag("ours", for: Self.descriptor("ours"))
        let blocked = Date().timeIntervalSince(started)
        let result = try await holder.value
        #expect(result.status == 0, "\(result.output)")
        #expect(blocked > 0.5, "setTag returned after \(blocked) s while another process held the lock")
        #expect(try Self.tags(in: layout) == ["before", "other", "ours"])
    }

    @Test func writesAnImageAndReadsItBack() async throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        let layerBytes = Data("not really a tar, but a blob".utf8)
        let (layerDigest, layerSize) = try layout.store.write(layerBytes)
        let layer = Descriptor(mediaType: .ociLayer, digest: layerDigest, size: layerSize)
        var container = ImageConfiguration.ContainerConfiguration()
        container.entrypoint = ["/app"]
        let configuration = ImageConfiguration(platform: try Platform(parsing: "linux/arm64/v8"), config: container, rootfs: .init(diffIDs: [layerDigest]))
        let image = try Image(configuration: configuration, layers: [layer])

        let written = try layout.write(image, tag: "v1")
        #expect(written.digest == image.manifestDescriptor.digest)
        #expect(written.platform == nil)
        #expect(try layout.resolve(tag: "v1").digest == written.digest)
        #expect(try layout.resolve(tag: "v1").annotations?[AnnotationKey.refName] == "v1")
        #expect(layout.store.contains(image.manifest.config.digest))

        let loaded = try await layout.image(tag: "v1").loadImage(platform: nil)
        #expect(loaded.manifestData == image.manifestData)
        #expect(loaded.configurationData == image.configurationData)
        #expect(loaded.configuration == configuration)
        #expect(layout.image(tag: "v1").sourceDescription == "oci-layout:\(directory.path):v1")
    }

    @Test func anImageWithAMissingLayerIsNotWritten() throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        let missing = Digest.sha256(of: Array("missing layer".utf8))
        let image = try Image(
            configuration: ImageConfiguration(platform: try Platform(parsing: "linux/amd64"), rootfs: .init(diffIDs: [missing])),
            layers: [Descriptor(mediaType: .ociLayerGzip, digest: missing, size: 13)]
        )
        expectLayoutError(.blobNotFound, containing: [missing.description, "not written"]) { try layout.write(image, tag: "v1") }
        #expect(try layout.index().manifests.isEmpty)
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
    }

    @Test func aTamperedBlobIsDetectedOnLoad() async throws {
        let directory = try TemporaryDirectory("layout")
        let layout = try OCILayout(path: directory.path)
        let image = try Image(configuration: ImageConfiguration(platform: try Platform(parsing: "linux/amd64")), layers: [])
        try layout.write(image, tag: "v1")
        let configPath = layout.store.path(for: image.manifest.config.digest)
        let tampered = String(decoding: image.configurationData, as: UTF8.self).replacingOccurrences(of: "amd64", with: "arm64")
        try Data(tampered.utf8).write(to: URL(fileURLWithPath: configPath))
        do {
            _ = try await layout.image(tag: "v1").loadImage(platform: nil)
            Issue.record("loaded a tampered configuration")
        } catch let error as StevedoreError {
            #expect(error.code == .digestMismatch)
            #expect(error.message.contains(image.manifest.config.digest.description))
        }
    }
}

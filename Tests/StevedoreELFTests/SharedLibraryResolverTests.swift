import Foundation
import StevedoreELF
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct SharedLibraryResolverTests {
    static let greetProgram = """
        #include <stdio.h>
        int greet(void);
        int main(void) { printf("greet %d\\n", greet()); return 0; }
        """

    /// The real path of `path` (temporary directories may sit behind symbolic links).
    static func real(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The host's multiarch library directory as the resolver reports it (merged-/usr resolved).
    static let multiarchDirectory = real("/lib/x86_64-linux-gnu")

    @Test func zlibProgramClosureRunsInAChroot() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let program = try CCompiler(directory: directory).compile(ELFFileTests.zlibProgram, to: "prog", ["-lz"])
        let closure = try SharedLibraryResolver().resolve(executable: program)

        #expect(closure.libraries.map(\.imagePath) == ["\(Self.multiarchDirectory)/libc.so.6", "\(Self.multiarchDirectory)/libz.so.1"])
        let zlib = try #require(closure.libraries.first { $0.neededName == "libz.so.1" })
        #expect(zlib.hostPath == Self.real("/lib/x86_64-linux-gnu/libz.so.1"))
        #expect(zlib.soname == "libz.so.1")
        #expect(zlib.neededBy == Self.real(program))
        #expect(zlib.source == .defaultDirectory)
        #expect(closure.loaderConfigurationDirectories.isEmpty)
        let interpreter = try #require(closure.interpreter)
        #expect(interpreter.imagePath == "/lib64/ld-linux-x86-64.so.2")
        #expect(interpreter.hostPath == Self.real("/lib64/ld-linux-x86-64.so.2"))
        #expect(interpreter.source == .interpreter)
        #expect(closure.files.map(\.imagePath) == ["/lib64/ld-linux-x86-64.so.2"] + closure.libraries.map(\.imagePath))
        #expect(closure.executable.platform?.description == "linux/amd64")

        let image = try ChrootImage()
        try image.install(closure)
        let run = try image.run(closure.executableImagePath)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout == (try ProcessRunner.run([program]).stdout))
        #expect(run.stdout.hasPrefix("zlib 1."))
    }

    @Test func staticExecutableNeedsNothing() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let program = try CCompiler(directory: directory).compile(ELFFileTests.zlibProgram, to: "prog", ["-static", "-lz"])
        let closure = try SharedLibraryResolver().resolve(executable: program, imagePath: "/prog")
        #expect(closure.interpreter == nil)
        #expect(closure.files.isEmpty)
        let image = try ChrootImage()
        try image.install(closure)
        let run = try image.run("/prog")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.hasPrefix("zlib 1."))
    }

    @Test func originRunPathFollowsTheExecutablesImagePath() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let library = try compiler.sharedLibrary("app/lib/libgreet.so", function: "greet", returning: 42, ["-Wl,-soname,libgreet.so"])
        let program = try compiler.compile(Self.greetProgram, to: "app/bin/greet", ["-L\(directory.appending("app/lib"))", "-lgreet", "-Wl,-rpath,$ORIGIN/../lib"])

        let placed = try SharedLibraryResolver().resolve(executable: program, imagePath: "/opt/greet/bin/greet")
        let greet = try #require(placed.libraries.first { $0.neededName == "libgreet.so" })
        #expect(greet.imagePath == "/opt/greet/lib/libgreet.so")
        #expect(greet.hostPath == Self.real(library))
        #expect(greet.source == .runPath)
        #expect(placed.executableImagePath == "/opt/greet/bin/greet")

        let image = try ChrootImage()
        try image.install(placed)
        let run = try image.runInContainer("/opt/greet/bin/greet")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout == "greet 42\n")

        let inPlace = try SharedLibraryResolver().resolve(executable: program)
        #expect(inPlace.libraries.first { $0.neededName == "libgreet.so" }?.imagePath == Self.real(library))
    }

    @Test(arguments: [[String](), ["-static-stdlib"]])
    func swiftExecutableRunsInAChroot(flags: [String]) throws {
        let directory = try TemporaryDirectory("elf-swift")
        let source = try directory.write("hello.swift", "print(\"hello from swift\")\n")
        let program = directory.appending("hello")
        let build = try ProcessRunner.run(["swiftc", "-o", program, source] + flags, timeout: 300)
        try #require(build.status == 0, "\(build.output)")

        let closure = try SharedLibraryResolver().resolve(executable: program, imagePath: "/app/hello")
        let swiftLibraries = closure.libraries.filter { $0.neededName.hasPrefix("libswift") }
        if flags.isEmpty {
            let core = try #require(swiftLibraries.first { $0.neededName == "libswiftCore.so" })
            #expect(core.source == .runPath)
            #expect(core.hostPath == Self.real("/opt/swift/usr/lib/swift/linux/libswiftCore.so"))
            #expect(core.imagePath == Self.real("/opt/swift/usr/lib/swift/linux") + "/libswiftCore.so")
        } else {
            #expect(swiftLibraries.isEmpty)
            #expect(closure.libraries.contains { $0.neededName == "libstdc++.so.6" })
            // libswiftCore's own NEEDED on the loader is satisfied by the interpreter, not searched again.
            #expect(!closure.libraries.contains { $0.neededName == "ld-linux-x86-64.so.2" })
        }

        let image = try ChrootImage()
        try image.install(closure)
        let run = try image.run("/app/hello")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout == "hello from swift\n")
    }

    @Test func aMissingLibraryNamesItWhoNeedsItAndWhereItWasSought() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let gone = try compiler.sharedLibrary("lib/libgone.so", function: "gone", returning: 1, ["-Wl,-soname,libgone.so"])
        let middle = try compiler.compile(
            "int gone(void);\nint greet(void) { return gone() + 1; }\n", to: "lib/libgreet.so",
            ["-shared", "-fPIC", "-L\(directory.appending("lib"))", "-lgone", "-Wl,-soname,libgreet.so"]
        )
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(directory.appending("lib"))", "-Wl,-rpath-link,\(directory.appending("lib"))", "-lgreet", "-Wl,-rpath,$ORIGIN/lib"])
        try FileManager.default.removeItem(atPath: gone)

        let error = try #require(throws: StevedoreError.self) { try SharedLibraryResolver().resolve(executable: program) }
        #expect(error.code == .libraryNotFound)
        #expect(error.message.hasPrefix("shared library 'libgone.so', needed by '\(Self.real(middle))', was not found. Searched: "))
        // Every default directory is named (those /etc/ld.so.conf also lists are named once, with it).
        for directory in ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"] {
            #expect(error.message.contains(" \(directory),") || error.message.contains(" \(directory) ("))
        }
        #expect(error.message.contains("/usr/lib (default directories)"))
        #expect(error.message.contains("(/etc/ld.so.conf)"))
        #expect(error.message.hasSuffix("Install the library on this machine (or into the root), or link the program statically."))
        // The real loader agrees: the program does not start.
        let run = try ProcessRunner.run([program])
        #expect(run.status != 0)
        #expect(run.stderr.contains("libgone.so"))
    }

    /// DT_RPATH of the executable serves its libraries' dependencies too; DT_RUNPATH serves only its own.
    @Test(arguments: [("-Wl,--disable-new-dtags", true), ("-Wl,--enable-new-dtags", false)])
    func runPathsOfLoadersApplyOnlyForRPath(dtags: String, resolves: Bool) throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let inner = directory.appending("inner")
        let outer = directory.appending("outer")
        try compiler.sharedLibrary("inner/libinner.so", function: "inner", returning: 5, ["-Wl,-soname,libinner.so"])
        try compiler.compile(
            "int inner(void);\nint greet(void) { return inner() * 2; }\n", to: "outer/libgreet.so",
            ["-shared", "-fPIC", "-L\(inner)", "-linner", "-Wl,-soname,libgreet.so"]
        )
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(outer)", "-lgreet", dtags, "-Wl,-rpath,\(outer):\(inner)"])

        let host = try ProcessRunner.run([program])
        if resolves {
            let closure = try SharedLibraryResolver().resolve(executable: program)
            let found = try #require(closure.libraries.first { $0.neededName == "libinner.so" })
            #expect(found.source == .rPath)
            #expect(found.neededBy == Self.real("\(outer)/libgreet.so"))
            #expect(host.stdout == "greet 10\n")
        } else {
            let error = try #require(throws: StevedoreError.self) { try SharedLibraryResolver().resolve(executable: program) }
            #expect(error.code == .libraryNotFound)
            #expect(error.message.contains("'libinner.so', needed by '\(Self.real(outer))/libgreet.so'"))
            #expect(host.status != 0)
        }
    }

    @Test func noDefaultLibraryFlagSkipsLdSoConfAndDefaultDirectories() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        try compiler.compile(
            "#include <zlib.h>\nint greet(void) { return zlibVersion()[0]; }\n", to: "lib/libgreet.so",
            ["-shared", "-fPIC", "-Wl,--no-as-needed", "-lz", "-Wl,-z,nodefaultlib", "-Wl,-soname,libgreet.so"]
        )
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(directory.appending("lib"))", "-lgreet", "-Wl,-rpath,$ORIGIN/lib"])
        let error = try #require(throws: StevedoreError.self) { try SharedLibraryResolver().resolve(executable: program) }
        #expect(error.code == .libraryNotFound)
        #expect(error.message.contains("'libz.so.1', needed by"))
        #expect(!error.message.contains("default directories"))
        #expect(try ProcessRunner.run([program]).status != 0)
    }

    @Test func unsuitableCandidatesAreSkipped() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let decoyDirectory = directory.appending("decoy")
        try FileManager.default.createDirectory(atPath: decoyDirectory, withIntermediateDirectories: true)
        try Data(ELFFileTests.bigEndianELF32()).write(to: URL(fileURLWithPath: decoyDirectory + "/libgreet.so"))
        let library = try compiler.sharedLibrary("real/libgreet.so", function: "greet", returning: 3, ["-Wl,-soname,libgreet.so"])
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(directory.appending("real"))", "-lgreet", "-Wl,-rpath,$ORIGIN/decoy:$ORIGIN/real"])

        let closure = try SharedLibraryResolver().resolve(executable: program)
        #expect(closure.libraries.first { $0.neededName == "libgreet.so" }?.hostPath == Self.real(library))
        #expect(try ProcessRunner.run([program]).stdout == "greet 3\n")

        try FileManager.default.removeItem(atPath: library)
        let error = try #require(throws: StevedoreError.self) { try SharedLibraryResolver().resolve(executable: program) }
        #expect(error.message.contains("Skipped unsuitable files: '\(Self.real(decoyDirectory))/libgreet.so' is ELF32 mips big-endian, not ELF64 x86_64 little-endian."))
    }

    @Test func symlinkedRunPathDirectoriesAreListed() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        try compiler.sharedLibrary("libs-1.0/libgreet.so", function: "greet", returning: 7, ["-Wl,-soname,libgreet.so"])
        let base = Self.real(directory.path)
        try FileManager.default.createSymbolicLink(atPath: base + "/libs", withDestinationPath: "libs-1.0")
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(base)/libs", "-lgreet", "-Wl,-rpath,\(base)/libs"])

        let closure = try SharedLibraryResolver().resolve(executable: program)
        #expect(closure.libraries.first { $0.neededName == "libgreet.so" }?.imagePath == "\(base)/libs-1.0/libgreet.so")
        #expect(closure.symlinks == [SharedLibraryClosure.Symlink(path: "\(base)/libs", target: "libs-1.0")])

        // The loader in the image looks in the DT_RUNPATH directory as written: it needs the link.
        let image = try ChrootImage()
        try image.install(closure)
        let run = try image.run(closure.executableImagePath)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout == "greet 7\n")
    }

    @Test func neededPathsWithASlashAreUsedAsPaths() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let library = Self.real(try compiler.sharedLibrary("libpathy.so", function: "greet", returning: 9))
        let program = try compiler.compile(Self.greetProgram, to: "prog", [library])
        #expect(try ELFFile(path: program).neededLibraries.first == library)

        let closure = try SharedLibraryResolver().resolve(executable: program, imagePath: "/prog")
        let found = try #require(closure.libraries.first { $0.neededName == library })
        #expect(found.imagePath == library)
        #expect(found.source == .path)
        let image = try ChrootImage()
        try image.install(closure)
        let run = try image.run("/prog")
        #expect(run.stdout == "greet 9\n", "\(run.output)")
    }

    /// A fake root: its own ld.so.conf (with an include glob), a merged-/usr layout, libc and the loader.
    @Test func resolvesInsideAFakeRootThroughLdSoConf() throws {
        let root = try TemporaryDirectory("elf-root")
        let build = try TemporaryDirectory("elf-build")
        let compiler = CCompiler(directory: build)
        try root.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
        try root.write("etc/ld.so.conf.d/greet.conf", "# greet\n/opt/greet/lib\n")
        let image = ChrootImage(directory: root)
        try image.copy(Self.real("/lib/x86_64-linux-gnu/libc.so.6"), to: "/usr/lib/x86_64-linux-gnu/libc.so.6")
        try image.copy(Self.real("/lib64/ld-linux-x86-64.so.2"), to: "/lib64/ld-linux-x86-64.so.2")
        try FileManager.default.createSymbolicLink(atPath: root.appending("lib"), withDestinationPath: "usr/lib")
        try compiler.sharedLibrary("root/opt/greet/lib/libgreet.so", function: "greet", returning: 11, ["-Wl,-soname,libgreet.so"])
        try image.copy(build.appending("root/opt/greet/lib/libgreet.so"), to: "/opt/greet/lib/libgreet.so")
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(build.appending("root/opt/greet/lib"))", "-lgreet"])

        let resolver = SharedLibraryResolver(configuration: .init(root: root.path))
        let closure = try resolver.resolve(executable: program, imagePath: "/bin/greet")
        #expect(closure.libraries == [
            ResolvedLibrary(imagePath: "/opt/greet/lib/libgreet.so", hostPath: root.path + "/opt/greet/lib/libgreet.so", soname: "libgreet.so", neededName: "libgreet.so", neededBy: "/bin/greet", source: .loaderConfiguration),
            ResolvedLibrary(imagePath: "/usr/lib/x86_64-linux-gnu/libc.so.6", hostPath: root.path + "/usr/lib/x86_64-linux-gnu/libc.so.6", soname: "libc.so.6", neededName: "libc.so.6", neededBy: "/bin/greet", source: .defaultDirectory),
        ])
        #expect(closure.interpreter?.hostPath == root.path + "/lib64/ld-linux-x86-64.so.2")
        #expect(closure.loaderConfigurationDirectories == ["/opt/greet/lib"])

        try image.copy(program, to: "/bin/greet")
        let withPath = try image.run("/bin/greet", environment: ["LD_LIBRARY_PATH": "/opt/greet/lib"])
        #expect(withPath.status == 0, "\(withPath.output)")
        #expect(withPath.stdout == "greet 11\n")
        // Without ld.so.cache, only LD_LIBRARY_PATH leads the loader to an ld.so.conf directory.
        let withoutPath = try image.run("/bin/greet", environment: ["LD_LIBRARY_PATH": nil])
        #expect(withoutPath.status != 0)
    }

    /// `$LIB` and `$PLATFORM` expand as the host's loader expands them (Debian: `lib/x86_64-linux-gnu`, `x86_64`).
    @Test(arguments: ["$ORIGIN/$LIB/$PLATFORM", "${ORIGIN}/${LIB}/${PLATFORM}"])
    func expandsDynamicStringTokens(runPath: String) throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let compiler = CCompiler(directory: directory)
        let library = try compiler.sharedLibrary("lib/x86_64-linux-gnu/x86_64/libgreet.so", function: "greet", returning: 13, ["-Wl,-soname,libgreet.so"])
        let program = try compiler.compile(Self.greetProgram, to: "prog", ["-L\(directory.appending("lib/x86_64-linux-gnu/x86_64"))", "-lgreet", "-Wl,-rpath,\(runPath)"])
        #expect(try ELFFile(path: program).runPath == [runPath])
        let closure = try SharedLibraryResolver().resolve(executable: program)
        #expect(closure.libraries.first { $0.neededName == "libgreet.so" }?.hostPath == Self.real(library))
        #expect(try ProcessRunner.run([program]).stdout == "greet 13\n")
    }

    /// 32-bit x86. `scripts/install-dependencies.sh` installs the 32-bit C library (libc6-dev-i386, lib32gcc-12-dev),
    /// so CI runs this; where it is installed the test runs even if the `cc -m32` probe fails, so that a broken 32-bit
    /// set-up is a failure (with the compiler's message) and never a silent skip. Without it, only where `cc -m32` links.
    @Test(.enabled(if: CCompiler.canLink32Bit || Self.i386LibraryIsInstalled, "cc -m32 cannot link here and libc6-dev-i386 is not installed"))
    func resolvesA32BitProgram() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let program = try CCompiler(directory: directory).compile(Self.greetProgram.replacingOccurrences(of: "int greet(void);", with: "static int greet(void) { return 32; }"), to: "prog", ["-m32"])
        let file = try ELFFile(path: program)
        #expect(file.elfClass == .elf32)
        #expect(file.platform?.description == "linux/386")
        let closure = try SharedLibraryResolver().resolve(executable: program, imagePath: "/prog")
        #expect(closure.libraries.contains { $0.neededName == "libc.so.6" })
        let image = try ChrootImage()
        try image.install(closure)
        #expect(try image.run("/prog").stdout == "greet 32\n")
    }

    /// Whether Debian's libc6-dev-i386 (the 32-bit C library for `cc -m32`) is installed.
    static let i386LibraryIsInstalled: Bool = {
        let query = try? ProcessRunner.run(["dpkg-query", "-W", "-f=${Status}", "libc6-dev-i386"])
        return query?.stdout.contains("install ok installed") == true
    }()

    @Test func scriptsAreRejected() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let script = try directory.write("run.sh", "#!/bin/bash\nexec ./server\n", mode: 0o755)
        let error = try #require(throws: StevedoreError.self) { try SharedLibraryResolver().resolve(executable: script) }
        #expect(error.code == .notELF)
        #expect(error.message.contains("(it starts with '#!/bin/bash' — a script?)"))
    }

    @Test func aMissingInterpreterIsReported() throws {
        let root = try TemporaryDirectory("elf-root")
        let directory = try TemporaryDirectory("elf-resolve")
        let program = try CCompiler(directory: directory).compile(ELFFileTests.zlibProgram, to: "prog", ["-lz"])
        let error = try #require(throws: StevedoreError.self) {
            try SharedLibraryResolver(configuration: .init(root: root.path)).resolve(executable: program)
        }
        #expect(error.code == .interpreterNotFound)
        #expect(error.message == "the program interpreter '/lib64/ld-linux-x86-64.so.2' named by '\(program)' does not exist inside root '\(root.path)'; the program was built for a C library (or an architecture) that is not installed here")
    }

    @Test func resultsAreDeterministic() throws {
        let directory = try TemporaryDirectory("elf-resolve")
        let program = try CCompiler(directory: directory).compile(ELFFileTests.zlibProgram, to: "prog", ["-lz", "-lm"])
        let first = try SharedLibraryResolver().resolve(executable: program)
        let second = try SharedLibraryResolver().resolve(executable: try ELFFile(path: program))
        #expect(first == second)
        #expect(first.libraries == first.libraries.sorted())
    }
}

@Suite(.dedicatedThread) struct SharedLibraryResolverLddAgreementTests {
    /// The real loader (through `ldd`, which runs it in tracing mode) loads exactly the files the resolver finds.
    @Test(arguments: ["/usr/bin/curl", "/usr/bin/podman", "/usr/bin/git", "/opt/swift/usr/bin/swift-frontend"])
    func agreesWithLdd(path: String) throws {
        try #require(FileManager.default.fileExists(atPath: path))
        let ldd = try ProcessRunner.run(["ldd", path])
        try #require(ldd.status == 0, "\(ldd.output)")
        let loaded = Set(ldd.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let file = words.first(where: { $0.hasPrefix("/") }) else { return nil }
            return SharedLibraryResolverTests.real(String(file))
        })
        let closure = try SharedLibraryResolver().resolve(executable: path)
        let found = Set(closure.files.map(\.hostPath))
        #expect(found == loaded)
        #expect(closure.files.count >= 2)
    }
}

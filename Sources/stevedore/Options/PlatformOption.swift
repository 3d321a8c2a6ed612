import ArgumentParser
import StevedoreCore

/// `--platform`: one image of an index.
struct PlatformOption: ParsableArguments {
    @Option(help: ArgumentHelp("Which image of an index (default: every image for copy and push, this machine's for pull; inspect asks for one when there are several).", valueName: "OS/ARCH[/VARIANT]"), transform: Parse.platform)
    var platform: Platform?
}

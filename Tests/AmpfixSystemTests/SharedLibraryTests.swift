import AmpfixSystem
import Testing

/// Libraries ampfix opens when a command first needs them (libkmod, libsemanage, libsepol,
/// libarchive): a missing library or function is an error naming it and the package, never a
/// crash at the first call.
@Suite struct SharedLibraryTests {
    @Test func aLibraryWithEveryFunctionOpens() throws {
        // glibc's libm is on every host these tests run on.
        let library = try SharedLibrary.open("libm.so.6", package: "libc6").requiring(["cos", "sqrt"])
        let cosine = try library.function("cos", as: (@convention(c) (Double) -> Double).self)
        #expect(cosine(0) == 1)
    }

    @Test func aMissingFunctionNamesItselfAndThePackage() {
        #expect {
            _ = try SharedLibrary.open("libm.so.6", package: "libc6").requiring(["cos", "ampfix_no_such_function"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("ampfix_no_such_function") && text.contains("libc6") && text.contains("libm.so.6")
        }
    }

    @Test func aMissingLibraryNamesThePackageToInstall() {
        #expect {
            _ = try SharedLibrary.open("libampfix-absent.so.9", package: "ampfix-absent9")
        } throws: { error in
            let text = "\(error)"
            return text.contains("libampfix-absent.so.9") && text.contains("install ampfix-absent9")
        }
    }
}

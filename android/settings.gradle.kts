// The Android build: the `kasir` Kotlin library (generated bindings, the id.kasir wrapper and
// the Android platform services) and the register app. For developers with the Android SDK
// and NDK; the JVM tests of the same library run with Maven (kasir/pom.xml).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "kasir-android"
include(":kasir", ":app")

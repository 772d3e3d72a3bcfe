// The register app: Compose screens (src/main/kotlin/id/kasir/app/ui, common Compose API only,
// also built for the desktop JVM by ../desktop/pom.xml) over the view models of the `kasir` module.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "id.kasir.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "id.kasir.app"
        minSdk = 24
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }

    buildFeatures { compose = true }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets["main"].java.srcDirs("src/main/kotlin")
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":kasir"))
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.11.0")
    implementation(platform("androidx.compose:compose-bom:2026.09.00"))
    implementation("androidx.compose.foundation:foundation")
    implementation("androidx.compose.material3:material3")
    implementation("androidx.activity:activity-compose:1.13.0")
    // QR codes drawn on screen (QRIS), as in the desktop build.
    implementation("com.google.zxing:core:3.5.4")
    // Camera scanning (id.kasir.app.camera): CameraX preview and image analysis.
    implementation("androidx.camera:camera-camera2:1.4.2")
    implementation("androidx.camera:camera-lifecycle:1.4.2")
    implementation("androidx.camera:camera-view:1.4.2")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    // View.doOnLayout: the camera is bound once the preview has its size (its viewport).
    implementation("androidx.core:core-ktx:1.15.0")
}

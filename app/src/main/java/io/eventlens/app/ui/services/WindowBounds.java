package io.eventlens.app.ui.services;

/**
 * The main window's place on the desktop in px (JavaFX screen coordinates), as remembered.
 *
 * @param x         left edge
 * @param y         top edge
 * @param width     width, positive
 * @param height    height, positive
 * @param maximized whether the window was maximized
 */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
}

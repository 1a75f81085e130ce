# curve-1.gp: a figure, drawn by MIPlot; its data is curve-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot curve-1.gp                       writes curve-1.svg
#   gnuplot -e 'format="png"' curve-1.gp     writes curve-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' curve-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' curve-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'curve-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'curve-1.dat'

# Panel 1 (row 1, column 1): nce with the optimal critic
reset
set title 'nce with the optimal critic'
set xlabel 'training step'
set ylabel 'MI estimate (nats)'
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'nce', \
    data index 2 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    3.4657359027997265 with lines lc rgb '#000000' lw 1.5 dt 2 title 'log K = 3.466', \
    0.5 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'half a nat = 0.5'

unset output
